{#-
    The cells a fact table holds for the given table kinds (int_line_items
    rows): every printed, non-zero amount of the part columns where the table
    prints at least one of them, else of its `total` column (a table printing
    one amount column).  Shared by fct_expenditure and fct_basic_expenditure.
-#}
{% macro fact_amount_cells(table_kinds, part_columns) %}
    with all_cells as (

        select * from {{ ref('int_line_items') }}
        where table_kind in {{ sql_list(table_kinds) }}

    ),

    table_split as (

        -- 1 when the table prints at least one part column
        select
            document_id,
            table_index,
            max(case when column_key in {{ sql_list(part_columns) }} then 1 else 0 end) as has_split
        from all_cells
        group by
            document_id,
            table_index

    )

    select all_cells.*
    from all_cells
    inner join table_split
        on all_cells.document_id = table_split.document_id
        and all_cells.table_index = table_split.table_index
    where all_cells.amount_text is not null
        and all_cells.amount_yuan <> 0
        and (
            (table_split.has_split = 1 and all_cells.column_key in {{ sql_list(part_columns) }})
            or (table_split.has_split = 0 and all_cells.column_key = 'total')
        )
{% endmacro %}
