-- One row per data row of the basic-spending tables by economic
-- classification (一般公共预算基本支出表, Jiangsu's 财政拨款基本支出预算表):
-- 合计 = 人员经费 + 公用经费 where the table prints the split, with the row's
-- rounding tolerance, leaf flag and the cost type its economic 类 implies.
-- Beijing prints both economic schemes on a row (50101-工资奖金津补贴 beside
-- 30101-基本工资): government_economic_code keeps the 5xx code.
-- All documents, whatever their status: the identities are evaluated here.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with basic_expenditure_rows as (

    {{ wide_table_rows(
        table_kinds=economic_table_kinds(),
        part_columns=economic_part_columns(),
    ) }}

),

final as (

    select
        document_id,
        table_index,
        table_kind,
        case table_kind
            when 'basic_expenditure_economic' then 'general_public_budget'
            when 'fiscal_basic_expenditure' then 'fiscal_appropriation'
        end as fund_scope,
        row_index,
        row_group,
        page,
        row_role,
        item_code,
        item_name,
        other_codes,
        {{ government_economic_code('item_code', 'other_codes') }} as government_economic_code,
        substr(item_code, 1, 3) as economic_class,
        {{ economic_class_cost_type('item_code') }} as class_cost_type,
        total_yuan,
        personnel_yuan,
        public_yuan,
        parts_sum_yuan,
        has_parts,
        difference_yuan,
        tolerance_yuan,
        is_within_tolerance,
        is_leaf,
        document_status
    from basic_expenditure_rows

)

select * from final

{% endcall %}
