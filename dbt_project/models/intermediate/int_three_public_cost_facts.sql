-- The “three public costs” (“三公”经费): one row per document ×
-- basis × category, for every printed, non-zero amount.  Subtotals (合计,
-- 公务用车购置及运行费) are not stored; they are checked in
-- int_three_public_costs.  column_key is `<basis>/<category>`.
-- All documents, whatever their status: the fact candidates that
-- int_fact_key_findings checks for repeated keys and fct_three_public_costs keeps for
-- the admitted documents.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with line_items as (

    select
        *,
        substr(column_key, 1, position('/' in column_key) - 1) as basis,
        substr(column_key, position('/' in column_key) + 1) as category
    from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind = 'three_public_costs'
        and amount_text is not null
        and amount_yuan <> 0

),

total_rows as (

    -- tables that print a 合计 row: only that row is stored
    select document_id, table_index, min(row_index) as row_index
    from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind = 'three_public_costs'
        and row_role = 'total'
    group by document_id, table_index

),

final as (

    select
        line_items.document_id,
        line_items.basis,
        line_items.category,
        line_items.amount_yuan,
        line_items.table_index,
        line_items.row_index,
        line_items.col_index,
        line_items.page
    from line_items
    left join total_rows
        on line_items.document_id = total_rows.document_id
        and line_items.table_index = total_rows.table_index
    where (total_rows.row_index is null or total_rows.row_index = line_items.row_index)
        and line_items.category in ('overseas_travel', 'vehicle_purchase', 'vehicle_operation', 'reception')

)

select
    cast(document_id as varchar) as document_id,
    cast(basis as varchar) as basis,
    cast(category as varchar) as category,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page
from final

{% endcall %}
