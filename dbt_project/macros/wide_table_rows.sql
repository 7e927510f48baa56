{#-
    One row per data row of the given table kinds, built from
    int_line_items: the amount columns side by side (`<key>_yuan`), the
    row's rounding tolerance, the total-minus-parts check and the leaf flag.
    Shared by int_expenditure_rows and int_basic_expenditure_rows.

    table_kinds     : raw table kinds to include
    part_columns    : column_keys that add up to the `total` column
    part_breakdowns : {part: [its parts]} for a part column a table may
                      print as its parts instead (基本支出 as 人员支出 |
                      日常公用支出 without a 小计): the part counts as its own
                      column where printed, else as the sum of its parts

    Amount columns are NULL when the table has no such column and 0 when
    the cell is printed blank.  has_parts: the table prints a total and at
    least one part column (the row identity applies).  tolerance_yuan sums the half units of the
    total and of every part (int_line_items.half_unit_yuan), a part's parts
    instead of the part where only they are printed.  Per broken-down part
    `<part>_parts_sum_yuan` (Σ its parts, NULL when none is printed) and
    `<part>_split_tolerance_yuan` (half units of the part and its parts), for
    the check part = Σ its parts where both are printed.  is_leaf: the
    row has a code and no other row of the same table has a longer code
    starting with it; the 合计 row and rows without a code (names-only
    tables: the level is only shown by indentation) are never leaves.
-#}
{% macro wide_table_rows(table_kinds, part_columns, part_breakdowns={}) %}
    {%- set breakdown_columns = [] %}
    {%- for part, parts in part_breakdowns.items() %}
        {%- do breakdown_columns.extend(parts) %}
    {%- endfor %}
    {%- set amount_columns = ['total'] + part_columns + breakdown_columns %}
    {%- set checked_columns = ['total'] + part_columns %}

    with line_items as (

        select * from {{ changed_rows('int_line_items') }} as int_line_items
        where table_kind in ('{{ table_kinds | join("', '") }}')

    ),

    table_rows as (

        select
            document_id,
            table_index,
            table_kind,
            row_index,
            row_group,
            min(page) as page,
            row_role,
            item_code,
            item_name,
            other_codes,
            document_status,
            {%- for column in amount_columns %}
            sum(case when column_key = '{{ column }}' then amount_yuan end) as {{ column }}_yuan,
            {%- endfor %}
            {%- for part, parts in part_breakdowns.items() %}
            coalesce(sum(
                case when column_key = '{{ part }}' then half_unit_yuan end
            ), 0) as {{ part }}_half_unit_yuan,
            coalesce(sum(
                case when column_key in {{ sql_list(parts) }} then half_unit_yuan end
            ), 0) as {{ part }}_parts_half_units_yuan,
            {%- endfor %}
            coalesce(sum(
                case when column_key in {{ sql_list(checked_columns) }} then half_unit_yuan end
            ), 0) as columns_tolerance_yuan
        from line_items
        group by
            document_id,
            table_index,
            table_kind,
            row_index,
            row_group,
            row_role,
            item_code,
            item_name,
            other_codes,
            document_status

    ),

    broken_down as (

        -- a part printed as its parts only: their sum stands for it (never both: the printed part
        -- wins, its parts are checked against it by their own identity)
        select
            *,
            {%- for part, parts in part_breakdowns.items() %}
            case
                when {% for column in parts %}{{ column }}_yuan is not null{% if not loop.last %} or {% endif %}{% endfor %}
                    then {% for column in parts %}coalesce({{ column }}_yuan, 0){% if not loop.last %} + {% endif %}{% endfor %}
            end as {{ part }}_parts_sum_yuan,
            {{ part }}_half_unit_yuan + {{ part }}_parts_half_units_yuan as {{ part }}_split_tolerance_yuan,
            {%- endfor %}
            columns_tolerance_yuan
            {%- for part in part_breakdowns %}
            + case when {{ part }}_yuan is null then {{ part }}_parts_half_units_yuan else 0 end
            {%- endfor %}
                as tolerance_yuan
        from table_rows

    ),

    summed as (

        select
            *,
            {%- for column in part_columns %}
            {%- if column in part_breakdowns %}
            coalesce({{ column }}_yuan, {{ column }}_parts_sum_yuan, 0){% if not loop.last %} +{% endif %}
            {%- else %}
            coalesce({{ column }}_yuan, 0){% if not loop.last %} +{% endif %}
            {%- endif %}
            {%- endfor %}
                as parts_sum_yuan
        from broken_down

    ),

    parent_codes as (

        -- codes with a descendant (a longer code of the same table starting with them); a join
        -- rather than a correlated NOT EXISTS in the select list, which PostgreSQL runs per row
        select distinct
            parent.document_id,
            parent.table_index,
            parent.item_code
        from table_rows as parent
        inner join table_rows as descendant
            on descendant.document_id = parent.document_id
            and descendant.table_index = parent.table_index
            and length(descendant.item_code) > length(parent.item_code)
            and substr(descendant.item_code, 1, length(parent.item_code)) = parent.item_code

    )

    select
        summed.document_id,
        summed.table_index,
        summed.table_kind,
        summed.row_index,
        summed.row_group,
        summed.page,
        summed.row_role,
        summed.item_code,
        summed.item_name,
        summed.other_codes,
        {%- for column in amount_columns %}
        summed.{{ column }}_yuan,
        {%- endfor %}
        {%- for part in part_breakdowns %}
        summed.{{ part }}_parts_sum_yuan,
        summed.{{ part }}_split_tolerance_yuan,
        {%- endfor %}
        summed.parts_sum_yuan,
        -- the row identity applies when the table prints a total and at least one part column
        -- (or a part's parts)
        (summed.total_yuan is not null and (
            {%- for column in part_columns + breakdown_columns %}
            summed.{{ column }}_yuan is not null{% if not loop.last %} or{% endif %}
            {%- endfor %}
        )) as has_parts,
        coalesce(summed.total_yuan, 0) - summed.parts_sum_yuan as difference_yuan,
        summed.tolerance_yuan,
        abs(coalesce(summed.total_yuan, 0) - summed.parts_sum_yuan) <= summed.tolerance_yuan
            as is_within_tolerance,
        case
            when summed.row_role = 'total' then false
            -- a row without a code (names-only tables) cannot be placed without counting it twice
            when summed.item_code is null then false
            else parent_codes.item_code is null
        end as is_leaf,
        summed.document_status

    from summed
    left join parent_codes
        on parent_codes.document_id = summed.document_id
        and parent_codes.table_index = summed.table_index
        and parent_codes.item_code = summed.item_code

{% endmacro %}
