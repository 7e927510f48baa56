-- One row per data row of the basic-spending table by economic
-- classification (一般公共预算基本支出表): 合计 = 人员经费 + 公用经费,
-- with the row's rounding tolerance and leaf flag.
-- All documents, whatever their status: the identity tests run here.

with basic_expenditure_rows as (

    {{ wide_table_rows(
        table_kinds=['basic_expenditure_economic'],
        part_columns=['personnel', 'public'],
    ) }}

),

final as (

    select
        document_id,
        table_index,
        table_kind,
        row_index,
        page,
        row_role,
        item_code,
        item_name,
        total_yuan,
        personnel_yuan,
        public_yuan,
        parts_sum_yuan,
        difference_yuan,
        tolerance_yuan,
        is_within_tolerance,
        is_leaf,
        document_status
    from basic_expenditure_rows

)

select * from final
