{#- Identities inside the revenue table (收入总表, table 2), severity error.
    They read int_revenue_cells (wide layout: units × sources). -#}


{#- The amount columns of a wide revenue table that add up to its 小计:
    every source column (上年结转 included), 财政拨款收入 only when the
    table prints none of its three parts as columns. -#}
{% macro revenue_leaf_cells(cells) %}
    with cells as (
        select * from {{ cells }} as cells_input
        where table_layout = 'wide'
    ),
    table_columns as (
        select
            document_id,
            table_index,
            max(case when column_key in {{ sql_list(appropriation_parts()) }} then 1 else 0 end) as has_parts
        from cells
        group by
            document_id,
            table_index
    )
    select
        cells.*,
        case
            when cells.column_key = 'total' then false
            when cells.column_key = 'fiscal_appropriation' and table_columns.has_parts = 1 then false
            else true
        end as is_leaf_column
    from cells
    inner join table_columns
        on cells.document_id = table_columns.document_id
        and cells.table_index = table_columns.table_index
{% endmacro %}


{#- Every row (合计 and each unit): 小计 = Σ source columns. -#}
{% macro identity_revenue_row_total(cells, include_passing=false) %}
    with leaf_cells as ({{ revenue_leaf_cells(cells) }}),
    revenue_rows as (
        select
            document_id,
            row_index,
            min(page) as page,
            max(item_name) as item_name,
            count(case when column_key = 'total' then 1 end) as total_cells,
            count(case when is_leaf_column then 1 end) as source_cells,
            coalesce(sum(case when column_key = 'total' then amount_yuan end), 0) as total_yuan,
            coalesce(sum(case when is_leaf_column then amount_yuan end), 0) as sources_yuan,
            coalesce(max(case when column_key = 'total' then half_unit_yuan end), 0)
                + coalesce(sum(case
                    when is_leaf_column then {{ printed_half_unit('amount_text', 'half_unit_yuan') }}
                end), 0) as tolerance_yuan
        from leaf_cells
        group by
            document_id,
            table_index,
            row_index
    ),
    checked as (
        select
            document_id,
            'revenue' as table_kind,
            coalesce(item_name, '') || ': 小计 = Σ revenue sources (row total)' as item,
            total_yuan as expected_yuan,
            sources_yuan as actual_yuan,
            tolerance_yuan,
            page
        from revenue_rows
        where total_cells > 0
            and source_cells > 0
    )
    {{ identity_output('revenue_row_total', include_passing=include_passing) }}
{% endmacro %}


{#- Every column (小计 and each source): the 合计 row = Σ units (the wide
    layout; the vertical one: 收入总计 = Σ source rows).  A
    department's table often lists the department and then its units
    (海东市人力资源和社会保障局, 海东市人力资源和社会保障局(本级), …): when, in
    most columns holding figures, the first unit row equals the sum of the
    rows below it, that row is the department's subtotal, and the checks
    become 合计 = department row and department row = Σ the rows below it. -#}
{% macro identity_revenue_column_total(cells, include_passing=false) %}
    with cells as (
        select * from {{ cells }} as cells_input
        where table_layout = 'wide'
            and not is_coded_table
    ),
    total_cells as (
        select
            document_id,
            table_index,
            column_key,
            min(page) as page,
            sum(amount_yuan) as total_yuan,
            sum(half_unit_yuan) as total_half_yuan
        from cells
        where is_total_row
        group by
            document_id,
            table_index,
            column_key
    ),
    unit_cells as (
        select
            document_id,
            table_index,
            column_key,
            count(*) as unit_rows,
            sum(amount_yuan) as units_yuan,
            sum({{ printed_half_unit('amount_text', 'half_unit_yuan') }}) as units_half_yuan,
            sum(case when unit_order = 1 then amount_yuan end) as first_yuan,
            sum(case when unit_order = 1 then half_unit_yuan end) as first_half_yuan,
            max(case when unit_order = 1 then item_name end) as first_name,
            min(case when unit_order = 1 then page end) as first_page,
            coalesce(sum(case when unit_order > 1 then amount_yuan end), 0) as rest_yuan,
            coalesce(sum(case
                when unit_order > 1 then {{ printed_half_unit('amount_text', 'half_unit_yuan') }}
            end), 0) as rest_half_yuan
        from cells
        where not is_total_row
        group by
            document_id,
            table_index,
            column_key
    ),
    table_shape as (
        -- the first unit row is the department's subtotal when it equals the
        -- rows below it in most columns that hold a figure
        select
            document_id,
            table_index,
            max(unit_rows) > 1
                and 2 * sum(case
                    when first_yuan <> 0 and abs(first_yuan - rest_yuan) <= first_half_yuan + rest_half_yuan
                        then 1 else 0
                end) > sum(case when first_yuan <> 0 or rest_yuan <> 0 then 1 else 0 end)
                as has_department_row
        from unit_cells
        group by
            document_id,
            table_index
    ),
    compared as (
        select
            total_cells.*,
            unit_cells.units_yuan,
            unit_cells.units_half_yuan,
            unit_cells.first_yuan,
            unit_cells.first_half_yuan,
            unit_cells.first_name,
            unit_cells.first_page,
            unit_cells.rest_yuan,
            unit_cells.rest_half_yuan,
            table_shape.has_department_row
        from total_cells
        inner join unit_cells
            on total_cells.document_id = unit_cells.document_id
            and total_cells.table_index = unit_cells.table_index
            and total_cells.column_key = unit_cells.column_key
        inner join table_shape
            on total_cells.document_id = table_shape.document_id
            and total_cells.table_index = table_shape.table_index
    ),
    vertical_rows as (
        -- Jiangsu's vertical 收入预算总表: 收入总计 = Σ the sources' 小计 rows
        -- (上年结转 included; 财政拨款 only without its parts)
        select
            document_id,
            table_index,
            max(case when item_key in {{ sql_list(appropriation_parts()) }} then 1 else 0 end) as has_parts,
            count(case when is_total_row then 1 end) as total_rows,
            coalesce(sum(case when is_total_row then amount_yuan end), 0) as total_yuan,
            coalesce(max(case when is_total_row then half_unit_yuan end), 0) as total_half_yuan,
            min(case when is_total_row then page end) as page
        from {{ cells }} as cells_input
        where table_layout = 'vertical'
            and column_key = 'total'
        group by
            document_id,
            table_index
    ),
    vertical_sources as (
        select
            vertical_rows.document_id,
            vertical_rows.table_index,
            vertical_rows.total_yuan,
            vertical_rows.total_half_yuan,
            vertical_rows.page,
            coalesce(sum(source_cells.amount_yuan), 0) as sources_yuan,
            coalesce(sum({{ printed_half_unit('source_cells.amount_text', 'source_cells.half_unit_yuan') }}), 0)
                as sources_half_yuan,
            count(source_cells.item_key) as source_rows
        from vertical_rows
        left join {{ cells }} as source_cells
            on vertical_rows.document_id = source_cells.document_id
            and vertical_rows.table_index = source_cells.table_index
            and source_cells.column_key = 'total'
            and not source_cells.is_total_row
            and source_cells.item_key in {{ sql_list(current_revenue_sources() + ['carryover']) }}
            and not (source_cells.item_key = 'fiscal_appropriation' and vertical_rows.has_parts = 1)
        where vertical_rows.total_rows = 1
        group by
            vertical_rows.document_id,
            vertical_rows.table_index,
            vertical_rows.total_yuan,
            vertical_rows.total_half_yuan,
            vertical_rows.page
    ),
    checked as (
        select
            document_id,
            'revenue' as table_kind,
            '收入总计 = Σ revenue sources (小计 rows)' as item,
            total_yuan as expected_yuan,
            sources_yuan as actual_yuan,
            total_half_yuan + sources_half_yuan as tolerance_yuan,
            page
        from vertical_sources
        where source_rows > 0
        union all
        select
            document_id,
            'revenue' as table_kind,
            '[' || column_key || '] 合计 = Σ units' as item,
            total_yuan as expected_yuan,
            units_yuan as actual_yuan,
            total_half_yuan + units_half_yuan as tolerance_yuan,
            page
        from compared
        where not has_department_row
        union all
        select
            document_id,
            'revenue' as table_kind,
            '[' || column_key || '] 合计 = ' || coalesce(first_name, '') || ' (the department row)' as item,
            total_yuan as expected_yuan,
            first_yuan as actual_yuan,
            total_half_yuan + first_half_yuan as tolerance_yuan,
            page
        from compared
        where has_department_row
        union all
        select
            document_id,
            'revenue' as table_kind,
            '[' || column_key || '] ' || coalesce(first_name, '') || ' = Σ its units below it' as item,
            first_yuan as expected_yuan,
            rest_yuan as actual_yuan,
            first_half_yuan + rest_half_yuan as tolerance_yuan,
            first_page as page
        from compared
        where has_department_row
    )
    {{ identity_output('revenue_column_total', include_passing=include_passing) }}
{% endmacro %}
