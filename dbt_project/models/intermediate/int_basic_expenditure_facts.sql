-- Basic spending by economic classification: one row per document
-- × fund scope × leaf economic code × cost type, for every printed,
-- non-zero amount.  Tables: 一般公共预算基本支出表 (table 6, fund_scope
-- general_public_budget) and Jiangsu's 财政拨款基本支出预算表
-- (fiscal_appropriation).  Where the table prints 人员经费 / 公用经费 the
-- cost type is the column; where it prints a single amount column (Jiangsu,
-- 决算) the economic 类 decides: 301, 303 (501, 509) → personnel, others →
-- public.  Leaf = the finest code printed: a 细目 (7 digits, 3021101 under
-- 30211, where a province prints them), a 款 (5 digits) printed without
-- 细目 or a 类 printed without 款; roll up through
-- dim_economic_classification.  government_economic_code: the row's code in
-- the government scheme (5xx), printed beside the department code in
-- Beijing's tables (50101-工资奖金津补贴  30101-基本工资).
-- A code printed on several rows of one table (烟台's 一般公共预算基本支出表:
-- a department economic code once per government 类 beside it, 501 机关 and
-- 505 对事业单位; a table listing its units' blocks) is one fact per table,
-- the sum of its rows (printed_cells of them): parts of one amount where the
-- table is checked through its codes (int_coded_tables.is_rollup_checked),
-- else int_fact_key_findings reports the repeat.  Lineage (row, column,
-- page, name) is the first printed cell's.
-- All documents, whatever their status: the fact candidates that
-- int_fact_key_findings checks for repeated keys and fct_basic_expenditure keeps for
-- the admitted documents.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with basic_expenditure_rows as (

    select * from {{ changed_rows('int_basic_expenditure_rows') }} as int_basic_expenditure_rows
    where is_leaf

),

line_items as (

    {{ fact_amount_cells(
        table_kinds=economic_table_kinds(),
        part_columns=economic_part_columns(),
    ) }}

),

cells as (

    select
        line_items.document_id,
        basic_expenditure_rows.fund_scope,
        coalesce(basic_expenditure_rows.item_code, 'unknown') as economic_code,
        basic_expenditure_rows.government_economic_code,
        case
            when line_items.column_key in ('personnel', 'public') then line_items.column_key
            else coalesce(basic_expenditure_rows.class_cost_type, 'unknown')
        end as cost_type,
        line_items.amount_yuan,
        basic_expenditure_rows.item_name,
        line_items.table_index,
        line_items.row_index,
        line_items.row_group,
        line_items.col_index,
        line_items.page
    from basic_expenditure_rows
    inner join line_items
        on basic_expenditure_rows.document_id = line_items.document_id
        and basic_expenditure_rows.table_index = line_items.table_index
        and basic_expenditure_rows.row_index = line_items.row_index
        and basic_expenditure_rows.row_group = line_items.row_group

),

final as (

    -- one fact per table and key: the sum of the rows printing the code, the first one's lineage
    {{ facts_per_table_key('cells', ['fund_scope', 'economic_code', 'government_economic_code', 'cost_type']) }}

)

select
    cast(document_id as varchar) as document_id,
    cast(fund_scope as varchar) as fund_scope,
    cast(economic_code as varchar) as economic_code,
    cast(government_economic_code as varchar) as government_economic_code,
    cast(cost_type as varchar) as cost_type,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(item_name as varchar) as item_name,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page,
    cast(printed_cells as integer) as printed_cells
from final

{% endcall %}
