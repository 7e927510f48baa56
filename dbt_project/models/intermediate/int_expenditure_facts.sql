-- Spending by functional classification: one row per document ×
-- leaf functional code × fund scope × expenditure type, for every printed,
-- non-zero amount.  Parent codes and the 合计 row are not stored: roll up
-- through dim_functional_classification.  A table that prints only one
-- amount column (Jiangsu's 财政拨款支出预算表 / 一般公共预算支出预算表: 金额)
-- gives expenditure_type `total` (not split by kind).  `basic` is the
-- printed 基本支出 (小计) where the table prints it, else the sum of
-- 人员支出 + 日常公用支出 (Zhejiang prints the parts without a 小计): never both.
-- A code printed on several rows of one table (Beijing's 支出总表: a
-- functional 项 once per economic code beside it; a table listing its units'
-- blocks) is one fact per table, the sum of its rows (printed_cells of them):
-- parts of one amount where the table is checked through its codes
-- (int_coded_tables.is_rollup_checked), else int_fact_key_findings reports
-- the repeat.  Lineage (row, column, page, name) is the first printed cell's.
-- The tables checked but not in the facts (fund_scope NULL) are left out.
-- All documents, whatever their status: the fact candidates that
-- int_fact_key_findings checks for repeated keys and fct_expenditure keeps for
-- the admitted documents.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with expenditure_rows as (

    select * from {{ changed_rows('int_expenditure_rows') }} as int_expenditure_rows
    where is_leaf
        and fund_scope is not null

),

line_items as (

    {{ fact_amount_cells(
        table_kinds=functional_table_kinds(),
        part_columns=functional_part_columns(),
        part_breakdowns=functional_part_breakdowns(),
    ) }}

),

cells as (

    select
        line_items.document_id,
        coalesce(expenditure_rows.item_code, 'unknown') as functional_code,
        expenditure_rows.fund_scope,
        line_items.column_key as expenditure_type,
        line_items.amount_yuan,
        expenditure_rows.item_name,
        line_items.table_index,
        line_items.row_index,
        line_items.row_group,
        line_items.col_index,
        line_items.page
    from expenditure_rows
    inner join line_items
        on expenditure_rows.document_id = line_items.document_id
        and expenditure_rows.table_index = line_items.table_index
        and expenditure_rows.row_index = line_items.row_index
        and expenditure_rows.row_group = line_items.row_group

),

final as (

    -- one fact per table and key: the sum of the rows printing the code, the first one's lineage
    {{ facts_per_table_key('cells', ['functional_code', 'fund_scope', 'expenditure_type']) }}

)

select
    cast(document_id as varchar) as document_id,
    cast(functional_code as varchar) as functional_code,
    cast(fund_scope as varchar) as fund_scope,
    cast(expenditure_type as varchar) as expenditure_type,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(item_name as varchar) as item_name,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page,
    cast(printed_cells as integer) as printed_cells
from final

{% endcall %}
