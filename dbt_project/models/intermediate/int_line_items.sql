-- Every amount cell, converted exactly to 元, with the rounding half unit
-- of the printed figure, the classification hierarchy of its row and the
-- document's current status.  All documents, whatever their status.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with line_items as (

    select * from {{ changed_rows('stg_line_items') }} as stg_line_items
    where {{ passes_structural_checks() }}

),

document_status as (

    select * from {{ ref('int_document_status') }}

),

figures as (

    select
        *,
        {{ to_yuan('amount_text', 'unit') }} as printed_yuan,
        {{ printed_decimals('amount_text') }} as printed_decimals
    from line_items

),

granularity as (

    -- the coarsest power of ten (up to 100 元) that divides the figure
    select
        *,
        case
            when printed_yuan is null or printed_yuan = 0 then null
            when mod(printed_yuan, 100) = 0 then cast(100 as decimal(38, 6))
            when mod(printed_yuan, 10) = 0 then cast(10 as decimal(38, 6))
            when mod(printed_yuan, 1) = 0 then cast(1 as decimal(38, 6))
            when mod(printed_yuan, 0.1) = 0 then cast(0.1 as decimal(38, 6))
            else cast(0.01 as decimal(38, 6))
        end as figure_granularity_yuan
    from figures

),

table_precision as (

    select
        *,
        -- decimals the table prints (the most any of its figures shows)
        max(printed_decimals) over (
            partition by document_id, table_index
        ) as table_decimals,
        -- finest granularity among the table's non-zero figures
        min(figure_granularity_yuan) over (
            partition by document_id, table_index
        ) as table_granularity_yuan,
        -- 1 when the column holds at least one printed figure in the table
        max(case when amount_text is not null then 1 else 0 end) over (
            partition by document_id, table_index, column_key
        ) as column_has_figures
    from granularity

),

table_half_unit as (

    select
        *,
        -- half the unit the table's figures were rounded to: the last
        -- printed digit, or coarser (up to 100 元 = 0.01 万元) when every
        -- figure of the table is a multiple of it (a 万元 budget printed in 元)
        greatest(
            {{ half_unit_yuan('amount_text', 'unit', decimals='table_decimals') }},
            case
                when table_granularity_yuan is null then cast(0 as decimal(38, 6))
                else cast(least(table_granularity_yuan, 100) * 0.5 as decimal(38, 6))
            end
        ) as table_half_unit_yuan
    from table_precision

),

enriched as (

    select
        table_half_unit.document_id,
        table_index,
        table_kind,
        row_index,
        col_index,
        page,
        row_role,
        item_code,
        item_name,
        item_key,
        other_codes,
        {{ code_level('item_code') }} as code_level,
        {{ parent_code('item_code') }} as parent_code,
        column_key,
        amount_text,
        is_blank,
        raw_text,
        unit,
        case
            when amount_text is null then cast(0 as decimal(20, 2))
            else printed_yuan
        end as amount_yuan,
        printed_decimals,
        case
            -- a column blank throughout the table is structurally empty
            when column_has_figures = 0 then cast(0 as decimal(38, 6))
            -- blank or zero: rounded at the table's precision
            when amount_text is null or printed_yuan = 0 then table_half_unit_yuan
            else greatest({{ half_unit_yuan('amount_text', 'unit') }}, table_half_unit_yuan)
        end as half_unit_yuan,
        document_status.document_status
    from table_half_unit
    left join document_status
        on table_half_unit.document_id = document_status.document_id

),

labelled as (

    -- first column of the cell's row label (code + name) within its row
    select
        *,
        min(col_index) over (
            partition by document_id, table_index, row_index, coalesce(item_code, ''), coalesce(item_name, '')
        ) as label_first_col
    from enriched

),

grouped as (

    -- 1 for an ordinary row; 1, 2, … for the code|name|amount groups a
    -- table prints side by side on one line (Shanghai's 决算 基本支出表:
    -- 301 … | 302 …), each its own logical row
    select
        *,
        dense_rank() over (
            partition by document_id, table_index, row_index
            order by label_first_col
        ) as row_group
    from labelled

)

select
    document_id,
    table_index,
    table_kind,
    row_index,
    row_group,
    col_index,
    page,
    row_role,
    item_code,
    item_name,
    item_key,
    other_codes,
    code_level,
    parent_code,
    column_key,
    amount_text,
    is_blank,
    raw_text,
    unit,
    amount_yuan,
    printed_decimals,
    half_unit_yuan,
    document_status
from grouped

{% endcall %}
