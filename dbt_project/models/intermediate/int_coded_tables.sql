-- The coded tables (支出 / 基本支出 / 收入 tables listing classification codes):
-- one row per document × table, with whether every row printing something
-- carries a code and how many 合计 rows it prints.  A blank spacer line (no
-- code, no name, no figure: a ruled row left empty at the table's foot) is
-- no uncoded row.  A table whose rows all carry a code and that prints one
-- 合计 row is checked through its code hierarchy: every row's money is
-- counted by its parent or by the 合计 row (int_classification_rollups), so
-- a code printed on several rows of it (blocks per unit, a functional code
-- per economic code, a department economic code per government one) is
-- parts of one amount, never the same money twice: the facts add them up
-- and a table read twice breaks its 合计.
-- All documents, whatever their status.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with line_items as (

    select * from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind in {{ sql_list(coded_table_kinds()) }}

),

tables as (

    select
        document_id,
        table_index,
        min(table_kind) as table_kind,
        count(distinct case
            when row_role = 'item'
                and not {{ is_digit_code('item_code') }}
                and (coalesce(item_name, '') <> '' or amount_text is not null)
                then row_index
        end) as uncoded_rows,
        count(distinct case when row_role = 'item' and {{ is_digit_code('item_code') }} then row_index end)
            as coded_rows,
        count(distinct case when row_role = 'total' then row_index end) as total_rows
    from line_items
    group by
        document_id,
        table_index

),

final as (

    select
        document_id,
        table_index,
        table_kind,
        coded_rows,
        uncoded_rows,
        total_rows,
        uncoded_rows = 0 and coded_rows > 0 as is_coded,
        uncoded_rows = 0 and coded_rows > 0 and total_rows = 1 as is_rollup_checked
    from tables

)

select * from final

{% endcall %}
