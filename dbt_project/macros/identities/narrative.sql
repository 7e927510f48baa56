{#- The narrative (第三部分 情况说明) against itself and against the tables,
    severity warn: publishers get prose wrong for real.  Shares and changes
    are compared as amounts in 元 (the amount a stated share or percentage
    implies), so every finding has the same shape as the table identities. -#}


{#- x万元，占y%: amount = base × y%, within half a unit of each figure and
    half a hundredth of a percentage point of the base. -#}
{% macro identity_narrative_share(mentions, include_passing=false) %}
    with checked as (
        select
            document_id,
            'narrative' as table_kind,
            subject || ' ' || cast(share_pct as varchar) || '% of ' || cast(base_yuan as varchar) || ' 元' as item,
            cast(base_yuan * share_pct / 100 as decimal(20, 2)) as expected_yuan,
            amount_yuan as actual_yuan,
            half_unit_yuan + base_half_unit_yuan + base_yuan * cast(0.00005 as decimal(9, 5)) as tolerance_yuan,
            page
        from {{ mentions }} as mentions_input
        where share_pct is not null and base_yuan is not null and base_yuan <> 0
    )
    {{ identity_output('narrative_share', include_passing=include_passing) }}
{% endmacro %}


{#- 比上年增加/减少 c万元，增长/下降 p%: c = last year × p%. -#}
{% macro identity_narrative_change(mentions, include_passing=false) %}
    with checked as (
        select
            document_id,
            'narrative' as table_kind,
            subject || ' ' || change_direction || ' ' || cast(change_pct as varchar) || '% of last year '
                || cast(prior_yuan as varchar) || ' 元' as item,
            cast(prior_yuan * change_pct / 100 as decimal(20, 2)) as expected_yuan,
            change_yuan as actual_yuan,
            half_unit_yuan + change_half_unit_yuan + prior_yuan * cast(0.00005 as decimal(9, 5)) as tolerance_yuan,
            page
        from {{ mentions }} as mentions_input
        where change_pct is not null and prior_yuan is not null and prior_yuan <> 0
    )
    {{ identity_output('narrative_change', include_passing=include_passing) }}
{% endmacro %}


{#- A stated amount whose subject names a table line (基本工资, 上年结转, …) must
    equal one of that line's printed figures (a name can stand in several
    tables and columns: the closest one is compared). Subjects that name no
    line are not checked. -#}
{% macro identity_narrative_vs_tables(mentions, include_passing=false) %}
    with lines as (
        select document_id, {{ name_key('item_name') }} as name_key, amount_yuan, half_unit_yuan, table_kind
        from {{ changed_rows('int_line_items') }} as int_line_items
        where amount_yuan is not null and item_name is not null
    ),
    candidates as (
        select
            m.document_id,
            m.page,
            m.subject,
            m.amount_yuan,
            m.half_unit_yuan,
            l.amount_yuan as table_yuan,
            l.half_unit_yuan as table_half_unit_yuan,
            l.table_kind,
            row_number() over (
                partition by m.document_id, m.page, m.sentence_index, m.subject, m.amount_yuan
                order by abs(l.amount_yuan - m.amount_yuan), l.table_kind
            ) as closeness
        from {{ mentions }} as m
        inner join lines as l
            on l.document_id = m.document_id and l.name_key = m.subject_key
        -- A stated zero is about a fund or line the tables leave blank (政府性基金…上年结转0.00万元).
        where m.subject_key <> '' and m.amount_yuan <> 0
    ),
    checked as (
        select
            document_id,
            'narrative' as table_kind,
            subject || ' (closest: ' || table_kind || ')' as item,
            table_yuan as expected_yuan,
            amount_yuan as actual_yuan,
            half_unit_yuan + table_half_unit_yuan as tolerance_yuan,
            page
        from candidates
        where closeness = 1
    )
    {{ identity_output('narrative_vs_tables', include_passing=include_passing) }}
{% endmacro %}
