{#- Identities across tables (severity warn, see cross_table.sql): the revenue
    sources of the summary tables (1, 4) against the revenue table (2). -#}


{#- Revenue sources of a summary table (table 1 or 4) at their finest printed
    level: this year's sources (财政拨款收入 only without its parts; the lines
    printed between 本年收入合计 and 收入总计 included) and, with
    include_carryover, the 上年结转 line.  source, amount_yuan, half_unit_yuan
    (printed figures), page, item_name per document. -#}
{% macro summary_leaf_sources(lines, table_kind, include_carryover) %}
    with source_lines as (
        select * from {{ lines }} as lines_input
        where table_kind = '{{ table_kind }}'
            and side = 'revenue'
            and (
                (block in ('current_year', 'addition') and item_key in {{ sql_list(current_revenue_sources()) }})
                {%- if include_carryover %}
                or item_key = 'carryover'
                {%- endif %}
            )
    ),
    {{ finest_revenue_sources('source_lines', 'item_key', keep_name=true) }}
{% endmacro %}


{#- Revenue sources of the revenue table (table 2) at their finest printed
    level: the 合计 row by source column (wide layout) or the source rows
    (vertical layout). -#}
{% macro revenue_table_leaf_sources(cells) %}
    with source_cells as (
        select
            document_id,
            case when table_layout = 'wide' then column_key else item_key end as source,
            amount_yuan,
            amount_text,
            half_unit_yuan,
            page
        from {{ cells }} as cells_input
        where (table_layout = 'wide' and is_total_row
                and column_key in {{ sql_list(current_revenue_sources() + ['carryover']) }})
            or (table_layout = 'vertical' and column_key = 'total'
                and item_key in {{ sql_list(current_revenue_sources() + ['carryover']) }})
    ),
    {{ finest_revenue_sources('source_cells', 'source') }}
{% endmacro %}


{#- The rest of a `*_leaf_sources` query after its first CTE (`cte`: document_id, the source in
    `source_column`, amount_yuan, amount_text, half_unit_yuan, page[, item_name]): one row per
    document × source, 财政拨款收入 dropped where the document also prints its parts (一般公共
    预算 / 政府性基金 / 国有资本经营), so nothing is counted twice. -#}
{% macro finest_revenue_sources(cte, source_column, keep_name=false) %}
    with_parts as (
        select
            document_id,
            max(case when {{ source_column }} in {{ sql_list(appropriation_parts()) }} then 1 else 0 end)
                as has_parts
        from {{ cte }}
        group by document_id
    )
    select
        {{ cte }}.document_id,
        {{ cte }}.{{ source_column }} as source,
        sum({{ cte }}.amount_yuan) as amount_yuan,
        sum({{ printed_half_unit(cte ~ '.amount_text', cte ~ '.half_unit_yuan') }}) as half_unit_yuan,
        min({{ cte }}.page) as page
        {%- if keep_name %},
        max({{ cte }}.item_name) as item_name
        {%- endif %}
    from {{ cte }}
    inner join with_parts
        on {{ cte }}.document_id = with_parts.document_id
    where not ({{ cte }}.{{ source_column }} = 'fiscal_appropriation' and with_parts.has_parts = 1)
    group by
        {{ cte }}.document_id,
        {{ cte }}.{{ source_column }}
{% endmacro %}


{#- Compare two per-document source lists (CTEs `left_sources` = the table
    checked, `right_sources` = the reference), for documents having both,
    over the sources both print.
    Where either side prints only 财政拨款收入, the three appropriations are
    compared as their sum.  Yields the `checked` CTE body. -#}
{% macro compare_sources(table_kind, label) %}
    collapse as (
        select document_id, max(flag) as fold_appropriation
        from (
            select document_id, case when source = 'fiscal_appropriation' then 1 else 0 end as flag from left_sources
            union all
            select document_id, case when source = 'fiscal_appropriation' then 1 else 0 end as flag from right_sources
        ) as flags
        group by document_id
    ),
    both_documents as (
        select document_id from left_sources
        intersect
        select document_id from right_sources
    ),
    keyed as (
        select
            sides.side,
            sides.document_id,
            case
                when collapse.fold_appropriation = 1
                    and sides.source in {{ sql_list(appropriation_parts() + ['fiscal_appropriation']) }}
                    then 'fiscal_appropriation'
                else sides.source
            end as source,
            sides.amount_yuan,
            sides.half_unit_yuan,
            sides.page
        from (
            select 'left' as side, document_id, source, amount_yuan, half_unit_yuan, page from left_sources
            union all
            select 'right' as side, document_id, source, amount_yuan, half_unit_yuan, page from right_sources
        ) as sides
        inner join collapse
            on sides.document_id = collapse.document_id
        inner join both_documents
            on sides.document_id = both_documents.document_id
    ),
    compared as (
        select
            document_id,
            source,
            coalesce(sum(case when side = 'left' then amount_yuan end), 0) as left_yuan,
            coalesce(sum(case when side = 'right' then amount_yuan end), 0) as right_yuan,
            coalesce(sum(half_unit_yuan), 0) as half_units_yuan,
            min(case when side = 'left' then page end) as left_page
        from keyed
        group by
            document_id,
            source
        -- only sources both tables print (a line or a column, even blank):
        -- templates differ in which sources they list
        having count(case when side = 'left' then 1 end) > 0
            and count(case when side = 'right' then 1 end) > 0
    ),
    checked as (
        select
            document_id,
            '{{ table_kind }}' as table_kind,
            source || ': {{ label }}' as item,
            right_yuan as expected_yuan,
            left_yuan as actual_yuan,
            half_units_yuan as tolerance_yuan,
            left_page as page
        from compared
        -- a source neither table has money in is no check
        where left_yuan <> 0 or right_yuan <> 0
    )
{% endmacro %}


{#- Table 1's revenue sources (and 上年结转) = table 2's 合计 row by source. -#}
{% macro identity_summary_sources_vs_revenue(lines, include_passing=false) %}
    with left_sources as ({{ summary_leaf_sources(lines, 'revenue_expenditure_summary', true) }}),
    right_sources as ({{ revenue_table_leaf_sources(changed_rows('int_revenue_cells')) }}),
    {{ compare_sources('revenue_expenditure_summary', '收支总表 revenue source = 收入总表 合计 row') }}
    {{ identity_output('summary_sources_vs_revenue', include_passing=include_passing) }}
{% endmacro %}


{#- Table 2's appropriation columns (一般公共预算 / 政府性基金 / 国有资本经营
    预算拨款收入, or 财政拨款收入) on its 合计 row = table 4's 本年收入 lines. -#}
{% macro identity_revenue_vs_appropriation(cells, include_passing=false) %}
    with revenue_sources as ({{ revenue_table_leaf_sources(cells) }}),
    left_sources as (
        select * from revenue_sources
        where source in {{ sql_list(appropriation_parts() + ['fiscal_appropriation']) }}
    ),
    summary_sources as ({{ summary_leaf_sources(changed_rows('int_summary_lines'), 'fiscal_appropriation_summary', false) }}),
    right_sources as (
        select document_id, source, amount_yuan, half_unit_yuan, page from summary_sources
        where source in {{ sql_list(appropriation_parts() + ['fiscal_appropriation']) }}
    ),
    {{ compare_sources('revenue', '收入总表 合计 row = 财政拨款收支总表 本年收入 line') }}
    {{ identity_output('revenue_vs_appropriation', include_passing=include_passing) }}
{% endmacro %}
