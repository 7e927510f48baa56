-- One row per data row of the functional-classification spending tables
-- (支出总表, 财政拨款支出表, 一般公共预算支出表, 政府性基金预算支出表,
-- 国有资本经营预算支出表), amounts side by side, with the row's rounding
-- tolerance and leaf flag.  All documents, whatever their status: the
-- identities (macros/identities/) are evaluated here.  基本支出 may be printed
-- as its parts only (Zhejiang: 人员支出 | 日常公用支出, no 小计): the row total
-- then counts their sum as 基本支出 (functional_part_breakdowns).  Also the
-- spending tables checked but never in the facts (checked_only_table_kinds:
-- spending by economic code other than table 6, basic spending by functional
-- code), whose columns add up the same way; their fund_scope is NULL.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with expenditure_rows as (

    {{ wide_table_rows(
        table_kinds=spending_row_table_kinds(),
        part_columns=functional_part_columns(),
        part_breakdowns=functional_part_breakdowns(),
    ) }}

),

final as (

    select
        document_id,
        table_index,
        table_kind,
        case table_kind
            when 'expenditure' then 'all_funds'
            when 'fiscal_appropriation_expenditure' then 'fiscal_appropriation'
            when 'general_budget_expenditure' then 'general_public_budget'
            when 'government_fund_expenditure' then 'government_fund'
            when 'state_capital_expenditure' then 'state_capital'
        end as fund_scope,
        row_index,
        row_group,
        page,
        row_role,
        item_code,
        item_name,
        other_codes,
        total_yuan,
        basic_yuan,
        project_yuan,
        business_operation_yuan,
        to_superior_yuan,
        to_subsidiary_yuan,
        reserve_yuan,
        personnel_yuan,
        public_yuan,
        basic_parts_sum_yuan,
        coalesce(basic_yuan, basic_parts_sum_yuan) as basic_spending_yuan,
        basic_split_tolerance_yuan,
        parts_sum_yuan,
        has_parts,
        difference_yuan,
        tolerance_yuan,
        is_within_tolerance,
        is_leaf,
        document_status
    from expenditure_rows

)

select * from final

{% endcall %}
