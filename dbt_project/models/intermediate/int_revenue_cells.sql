-- The revenue table (收入总表, table 2), one row per amount cell, amounts in
-- 元.  Two layouts occur:
--   wide      rows are units (预算单位: 合计, the department, its units) and
--             columns are sources: column_key `total` (小计 / 合计) or a
--             revenue source (`carryover` 上年结转, `general_budget`
--             一般公共预算拨款收入, …)
--   vertical  rows are sources (item_key), one amount column `total`
--             (Jiangsu's 收入预算总表)
-- Shanghai's 收入预算总表 / 收入决算表 (and 烟台's 收入总体情况表) list functional
-- codes (类/款/项) instead of units: is_coded_table (a blank spacer line at
-- the foot is no uncoded row, int_coded_tables); their columns add up through the code
-- hierarchy (int_classification_rollups), not over all rows.
-- is_total_row marks the 合计 row (row_role `total` or item_key
-- `revenue_total`); unit_order numbers the other rows from the top.
-- All documents, whatever their status: the identities are evaluated here.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with line_items as (

    select * from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind = 'revenue'

),

sources as (

    select revenue_source from {{ ref('revenue_sources') }}

),

layout as (

    select
        line_items.document_id,
        line_items.table_index,
        case
            when max(case when sources.revenue_source is not null then 1 else 0 end) = 1 then 'wide'
            else 'vertical'
        end as table_layout,
        -- every item row printing something carries a classification code (int_coded_tables)
        max(case when coded_tables.is_coded then 1 else 0 end) = 1 as is_coded_table
    from line_items
    left join sources
        on line_items.column_key = sources.revenue_source
    left join {{ changed_rows('int_coded_tables') }} as coded_tables
        on line_items.document_id = coded_tables.document_id
        and line_items.table_index = coded_tables.table_index
    group by
        line_items.document_id,
        line_items.table_index

),

flagged as (

    select
        line_items.*,
        layout.table_layout,
        layout.is_coded_table,
        (line_items.row_role = 'total' or coalesce(line_items.item_key, '') = 'revenue_total') as is_total_row
    from line_items
    inner join layout
        on line_items.document_id = layout.document_id
        and line_items.table_index = layout.table_index

),

ordered as (

    select
        *,
        case
            when is_total_row then null
            else dense_rank() over (
                partition by document_id, table_index, is_total_row
                order by row_index
            )
        end as unit_order
    from flagged

)

select
    document_id,
    table_index,
    table_layout,
    is_coded_table,
    row_index,
    col_index,
    page,
    row_role,
    is_total_row,
    unit_order,
    item_code,
    item_name,
    item_key,
    column_key,
    amount_text,
    amount_yuan,
    half_unit_yuan,
    document_status
from ordered

{% endcall %}
