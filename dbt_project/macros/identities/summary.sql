{#- Identities inside the summary tables (收支总表 table 1, 财政拨款收支总表
    table 4), severity error.  They read int_summary_lines. -#}


{#- Per document × summary table × side × amount column: the printed totals
    (amount, half unit, number of lines, page) and the sums the identities
    compare them with.  Leaf sources: 财政拨款收入 counts only when none of
    its three parts is printed in the same block.  Jiangsu's third group
    (spending by use, expenditure_use: 基本支出 / 项目支出 / 单位预留机动经费)
    is folded into the spending side: its total rows (当年支出小计, 结转下年,
    支出合计) are printed once across both spending groups, under the use
    column, so a spending total is the printed figure of either group.
    additions: the revenue lines printed between a closing 本年收入合计 and
    收入总计 (int_summary_lines.block `addition`: 上级补助收入, 附属单位上缴收入,
    使用非财政拨款结余), part of 收入总计 but not of 本年收入合计. -#}
{% macro summary_totals(lines) %}
    {%- set totals = ['revenue_total', 'carryover', 'revenue_grand_total',
                      'expenditure_total', 'carry_forward', 'expenditure_grand_total'] %}
    {%- set other_sources = current_revenue_sources() | reject('in', appropriation_parts() + ['fiscal_appropriation']) | list %}
    {%- set groups = {
        'parts': "block = 'current_year' and item_key in " ~ sql_list(appropriation_parts()),
        'appropriation': "block = 'current_year' and item_key = 'fiscal_appropriation'",
        'other_sources': "block = 'current_year' and item_key in " ~ sql_list(other_sources),
        'carryover_parts': "block = 'carryover' and item_key in " ~ sql_list(appropriation_parts()),
        'carryover_appropriation': "block = 'carryover' and item_key = 'fiscal_appropriation'",
        'carryover_other': "block = 'carryover' and item_key in " ~ sql_list(other_sources),
        'classes': "item_key = 'functional_class'",
        'uses': "side = 'expenditure_use' and item_key in ('basic', 'project', 'reserve')",
        'additions': "block = 'addition'",
    } %}
    select
        document_id,
        table_index,
        table_kind,
        case when side = 'expenditure_use' then 'expenditure' else side end as side,
        fund_column,
        {%- for key in totals %}
        {%- set main = "item_key = '" ~ key ~ "' and side <> 'expenditure_use'" %}
        {%- set use = "item_key = '" ~ key ~ "' and side = 'expenditure_use'" %}
        count(case when item_key = '{{ key }}' then 1 end) as {{ key }}_lines,
        case
            when count(case when {{ main }} and amount_text is not null then 1 end) > 0
                or count(case when {{ use }} and amount_text is not null then 1 end) = 0
                then coalesce(sum(case when {{ main }} then amount_yuan end), 0)
            else coalesce(sum(case when {{ use }} then amount_yuan end), 0)
        end as {{ key }}_yuan,
        coalesce(max(case when item_key = '{{ key }}' then half_unit_yuan end), 0) as {{ key }}_half_yuan,
        min(case when item_key = '{{ key }}' then page end) as {{ key }}_page,
        {%- endfor %}
        {%- for group, condition in groups.items() %}
        count(case when {{ condition }} then 1 end) as {{ group }}_lines,
        coalesce(sum(case when {{ condition }} then amount_yuan end), 0) as {{ group }}_yuan,
        coalesce(sum(case when {{ condition }} then {{ printed_half_unit('amount_text', 'half_unit_yuan') }} end), 0)
            as {{ group }}_half_yuan,
        min(case when {{ condition }} then page end) as {{ group }}_page{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ lines }} as lines_input
    group by
        document_id,
        table_index,
        table_kind,
        case when side = 'expenditure_use' then 'expenditure' else side end,
        fund_column
{% endmacro %}


{#- 本年收入合计 + 上年结转 = 收入总计 (revenue side), plus the revenue lines a
    template prints between 本年收入合计 and 收入总计 (烟台: 上级补助收入 below
    本年收入合计). -#}
{% macro identity_summary_revenue_balance(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            case
                when additions_lines > 0
                    then '本年收入合计 + 上年结转 + the lines printed between them (上级补助收入 …) = 收入总计 '
                        || '(revenue_total + carryover + additions = revenue_grand_total)'
                else '本年收入合计 + 上年结转 = 收入总计 (revenue_total + carryover = revenue_grand_total)'
            end as item,
            revenue_grand_total_yuan as expected_yuan,
            revenue_total_yuan + carryover_yuan + additions_yuan as actual_yuan,
            revenue_grand_total_half_yuan + revenue_total_half_yuan + carryover_half_yuan + additions_half_yuan
                as tolerance_yuan,
            revenue_grand_total_page as page
        from totals
        where side = 'revenue'
            and revenue_total_lines > 0
            and revenue_grand_total_lines > 0
    )
    {{ identity_output('summary_revenue_balance', include_passing=include_passing) }}
{% endmacro %}


{#- 本年支出合计 + 结转下年 = 支出总计 (spending side, every amount column; each
    spending group of a summary printing several side by side: by function,
    by department and by government economic class). -#}
{% macro identity_summary_expenditure_balance(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            '[' || side || '/' || fund_column || '] 本年支出合计 + 结转下年 = 支出总计 (expenditure_total + carry_forward = expenditure_grand_total)' as item,
            expenditure_grand_total_yuan as expected_yuan,
            expenditure_total_yuan + carry_forward_yuan as actual_yuan,
            expenditure_grand_total_half_yuan + expenditure_total_half_yuan + carry_forward_half_yuan as tolerance_yuan,
            expenditure_grand_total_page as page
        from totals
        where side in ('expenditure', 'expenditure_economic', 'expenditure_government_economic')
            and expenditure_total_lines > 0
            and expenditure_grand_total_lines > 0
    )
    {{ identity_output('summary_expenditure_balance', include_passing=include_passing) }}
{% endmacro %}


{#- 收入总计 = 支出总计: the revenue side's grand total against the spending
    side's (its single amount column, or table 4's 合计 column). -#}
{% macro identity_summary_grand_totals(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    revenue_side as (
        select * from totals
        where side = 'revenue' and revenue_grand_total_lines > 0
    ),
    expenditure_side as (
        -- the spending side's total column: 合计 (table 4), else its single amount column
        select *
        from (
            select
                totals.*,
                row_number() over (
                    partition by document_id, table_index
                    order by case fund_column when 'total' then 0 else 1 end
                ) as column_rank
            from totals
            where side = 'expenditure' and fund_column in ('amount', 'total') and expenditure_grand_total_lines > 0
        ) as ranked
        where column_rank = 1
    ),
    checked as (
        select
            revenue_side.document_id,
            revenue_side.table_kind,
            '收入总计 = 支出总计 (revenue_grand_total = expenditure_grand_total)' as item,
            revenue_side.revenue_grand_total_yuan as expected_yuan,
            expenditure_side.expenditure_grand_total_yuan as actual_yuan,
            revenue_side.revenue_grand_total_half_yuan + expenditure_side.expenditure_grand_total_half_yuan
                as tolerance_yuan,
            expenditure_side.expenditure_grand_total_page as page
        from revenue_side
        inner join expenditure_side
            on revenue_side.document_id = expenditure_side.document_id
            and revenue_side.table_index = expenditure_side.table_index
    )
    {{ identity_output('summary_grand_totals', include_passing=include_passing) }}
{% endmacro %}


{#- Σ revenue sources of this year = 本年收入合计 (leaf sources: 财政拨款收入
    only when its parts are not printed).  Templates without a 本年收入合计
    line (Shanghai's 财务收支预算总表) check Σ sources + 上年结转 = 收入总计. -#}
{% macro identity_summary_revenue_sources(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            case
                when revenue_total_lines > 0 then 'Σ revenue sources = 本年收入合计 (revenue_total)'
                else 'Σ revenue sources + 上年结转 = 收入总计 (no 本年收入合计 line)'
            end as item,
            case
                when revenue_total_lines > 0 then revenue_total_yuan
                else revenue_grand_total_yuan
            end as expected_yuan,
            other_sources_yuan
                + case when parts_lines > 0 then parts_yuan else appropriation_yuan end
                + case when revenue_total_lines > 0 then 0 else carryover_yuan end as actual_yuan,
            case
                when revenue_total_lines > 0 then revenue_total_half_yuan
                else revenue_grand_total_half_yuan + carryover_half_yuan
            end
                + other_sources_half_yuan
                + case when parts_lines > 0 then parts_half_yuan else appropriation_half_yuan end as tolerance_yuan,
            case when revenue_total_lines > 0 then revenue_total_page else revenue_grand_total_page end as page
        from totals
        where side = 'revenue'
            and (revenue_total_lines > 0 or revenue_grand_total_lines > 0)
            and parts_lines + appropriation_lines + other_sources_lines > 0
    )
    {{ identity_output('summary_revenue_sources', include_passing=include_passing) }}
{% endmacro %}


{#- 上年结转 = Σ its parts, where the table breaks the carry-over down
    (table 4: (一)一般公共预算拨款, (二)政府性基金预算拨款, …). -#}
{% macro identity_summary_carryover_parts(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            '上年结转 = Σ its parts (carryover)' as item,
            carryover_yuan as expected_yuan,
            carryover_other_yuan
                + case when carryover_parts_lines > 0 then carryover_parts_yuan else carryover_appropriation_yuan end
                as actual_yuan,
            carryover_half_yuan
                + carryover_other_half_yuan
                + case
                    when carryover_parts_lines > 0 then carryover_parts_half_yuan
                    else carryover_appropriation_half_yuan
                end as tolerance_yuan,
            carryover_page as page
        from totals
        where side = 'revenue'
            and carryover_lines > 0
            and carryover_parts_lines + carryover_appropriation_lines + carryover_other_lines > 0
    )
    {{ identity_output('summary_carryover_parts', include_passing=include_passing) }}
{% endmacro %}


{#- 财政拨款收入 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算 拨款收入,
    where both the aggregate and its parts are printed (this year's block). -#}
{% macro identity_summary_appropriation_parts(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            '财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营预算拨款收入 (fiscal_appropriation)' as item,
            appropriation_yuan as expected_yuan,
            parts_yuan as actual_yuan,
            appropriation_half_yuan + parts_half_yuan as tolerance_yuan,
            appropriation_page as page
        from totals
        where side = 'revenue'
            and appropriation_lines > 0
            and parts_lines > 0
    )
    {{ identity_output('summary_appropriation_parts', include_passing=include_passing) }}
{% endmacro %}


{#- Σ functional classes (一、一般公共服务支出 …, printed by name) = 本年支出合计,
    every spending column; without a 本年支出合计 line, Σ classes + 结转下年 =
    支出总计. -#}
{% macro identity_summary_functional_classes(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            '[' || side || '/' || fund_column || '] '
                || case
                    when expenditure_total_lines > 0 then 'Σ functional classes = 本年支出合计 (expenditure_total)'
                    else 'Σ functional classes + 结转下年 = 支出总计 (no 本年支出合计 line)'
                end as item,
            case
                when expenditure_total_lines > 0 then expenditure_total_yuan
                else expenditure_grand_total_yuan
            end as expected_yuan,
            classes_yuan
                + case when expenditure_total_lines > 0 then 0 else carry_forward_yuan end as actual_yuan,
            case
                when expenditure_total_lines > 0 then expenditure_total_half_yuan
                else expenditure_grand_total_half_yuan + carry_forward_half_yuan
            end + classes_half_yuan as tolerance_yuan,
            case when expenditure_total_lines > 0 then expenditure_total_page else expenditure_grand_total_page end
                as page
        from totals
        where side = 'expenditure'
            and (expenditure_total_lines > 0 or expenditure_grand_total_lines > 0)
            and classes_lines > 0
    )
    {{ identity_output('summary_functional_classes', include_passing=include_passing) }}
{% endmacro %}


{#- Σ spending by use (基本支出 + 项目支出 + 单位预留机动经费, Jiangsu's third
    group) = 本年支出合计. -#}
{% macro identity_summary_expenditure_uses(lines, include_passing=false) %}
    with totals as ({{ summary_totals(lines) }}),
    checked as (
        select
            document_id,
            table_kind,
            'Σ spending by use (基本支出 + 项目支出 + 单位预留机动经费) = 本年支出合计 (expenditure_total)' as item,
            expenditure_total_yuan as expected_yuan,
            uses_yuan as actual_yuan,
            expenditure_total_half_yuan + uses_half_yuan as tolerance_yuan,
            expenditure_total_page as page
        from totals
        where side = 'expenditure'
            and expenditure_total_lines > 0
            and uses_lines > 0
    )
    {{ identity_output('summary_expenditure_uses', include_passing=include_passing) }}
{% endmacro %}


{#- Table 4, every spending row: 合计 = 一般公共预算 + 政府性基金预算 +
    国有资本经营预算. -#}
{% macro identity_summary_fund_columns(lines, include_passing=false) %}
    with spending_rows as (
        select
            document_id,
            table_index,
            table_kind,
            row_index,
            min(page) as page,
            max(item_code) as item_code,
            max(item_name) as item_name,
            count(case when fund_column = 'total' then 1 end) as total_cells,
            count(case when fund_column in ('general_public_budget', 'government_fund', 'state_capital') then 1 end)
                as part_cells,
            coalesce(sum(case when fund_column = 'total' then amount_yuan end), 0) as total_yuan,
            coalesce(sum(case
                when fund_column in ('general_public_budget', 'government_fund', 'state_capital') then amount_yuan
            end), 0) as parts_yuan,
            coalesce(sum(case
                when fund_column in ('general_public_budget', 'government_fund', 'state_capital')
                    then {{ printed_half_unit('amount_text', 'half_unit_yuan') }}
            end), 0) as parts_half_yuan,
            coalesce(max(case when fund_column = 'total' then half_unit_yuan end), 0) as total_half_yuan
        from {{ lines }} as lines_input
        where side = 'expenditure'
        group by
            document_id,
            table_index,
            table_kind,
            row_index
    ),
    checked as (
        select
            document_id,
            table_kind,
            {{ item_label('item_code', 'item_name') }}
                || ': 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算 (row total)' as item,
            total_yuan as expected_yuan,
            parts_yuan as actual_yuan,
            total_half_yuan + parts_half_yuan as tolerance_yuan,
            page
        from spending_rows
        where total_cells > 0
            and part_cells > 0
    )
    {{ identity_output('summary_fund_columns', include_passing=include_passing) }}
{% endmacro %}
