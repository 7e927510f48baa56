{#-
    The cells a fact table holds for the given table kinds (int_line_items
    rows): every printed, non-zero amount of the part columns where the table
    prints at least one of them, else of its `total` column (a table printing
    one amount column).  Shared by fct_expenditure and fct_basic_expenditure.

    part_breakdowns ({part: [its parts]}): a part a table prints as its parts
    only (基本支出 as 人员支出 | 日常公用支出, no 小计) is one cell per row, the
    sum of its parts, with the first part's column as col_index.  Where the
    table prints the part itself its parts are never facts: the money would
    count twice.

    Columns: document_id, table_index, table_kind, row_index, row_group,
    col_index, page, column_key, amount_yuan.
-#}
{% macro fact_amount_cells(table_kinds, part_columns, part_breakdowns={}) %}
    {%- set breakdown_columns = [] %}
    {%- for part, parts in part_breakdowns.items() %}
        {%- do breakdown_columns.extend(parts) %}
    {%- endfor %}
    with all_cells as (

        select * from {{ changed_rows('int_line_items') }} as int_line_items
        where table_kind in {{ sql_list(table_kinds) }}

    ),

    table_split as (

        -- has_split: 1 when the table prints at least one part column (or a part's parts);
        -- has_<part>: 1 when it prints the part's own column
        select
            document_id,
            table_index,
            {%- for part in part_breakdowns %}
            max(case when column_key = '{{ part }}' then 1 else 0 end) as has_{{ part }},
            {%- endfor %}
            max(case when column_key in {{ sql_list(part_columns + breakdown_columns) }} then 1 else 0 end)
                as has_split
        from all_cells
        group by
            document_id,
            table_index

    ),

    printed_cells as (

        select
            all_cells.document_id,
            all_cells.table_index,
            all_cells.table_kind,
            all_cells.row_index,
            all_cells.row_group,
            all_cells.col_index,
            all_cells.page,
            all_cells.column_key,
            all_cells.amount_yuan
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

    )
    {%- for part, parts in part_breakdowns.items() %},

    {{ part }}_from_parts as (

        -- the part of a table that prints only its parts: their sum, one cell per row
        select
            all_cells.document_id,
            all_cells.table_index,
            all_cells.table_kind,
            all_cells.row_index,
            all_cells.row_group,
            min(all_cells.col_index) as col_index,
            min(all_cells.page) as page,
            '{{ part }}' as column_key,
            sum(all_cells.amount_yuan) as amount_yuan
        from all_cells
        inner join table_split
            on all_cells.document_id = table_split.document_id
            and all_cells.table_index = table_split.table_index
        where table_split.has_{{ part }} = 0
            and all_cells.column_key in {{ sql_list(parts) }}
        group by
            all_cells.document_id,
            all_cells.table_index,
            all_cells.table_kind,
            all_cells.row_index,
            all_cells.row_group
        having count(all_cells.amount_text) > 0
            and sum(all_cells.amount_yuan) <> 0

    )
    {%- endfor %}

    select * from printed_cells
    {%- for part in part_breakdowns %}
    union all
    select * from {{ part }}_from_parts
    {%- endfor %}
{% endmacro %}


{#- One fact per table and key, from the CTE `cells` (document_id,
    table_index, row_index, row_group, col_index, page, item_name,
    amount_yuan and the `keys` columns): the sum of the rows of one table
    printing the key (printed_cells of them), with the first printed row's
    lineage (row, column, page, name).  Shared by int_expenditure_facts and
    int_basic_expenditure_facts. -#}
{% macro facts_per_table_key(cells, keys) %}
    with ordered as (

        select
            *,
            row_number() over (
                partition by document_id, table_index, {{ keys | join(', ') }}
                order by row_index, row_group
            ) as printed_order
        from {{ cells }}

    )

    select
        document_id,
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        sum(amount_yuan) as amount_yuan,
        max(case when printed_order = 1 then item_name end) as item_name,
        table_index,
        min(case when printed_order = 1 then row_index end) as row_index,
        min(case when printed_order = 1 then col_index end) as col_index,
        min(case when printed_order = 1 then page end) as page,
        count(*) as printed_cells
    from ordered
    group by
        document_id,
        table_index,
        {{ keys | join(', ') }}
{% endmacro %}
