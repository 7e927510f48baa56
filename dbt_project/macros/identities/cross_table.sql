{#- Identities across the tables of one document, severity warn: the
    document loads and the finding is reported.  Each compares figures only
    when the document has both tables.  The macro's argument is the model
    its generic test is attached to; the 合计 cells of the other tables are
    read from int_line_items, which carries each figure's half unit. -#}


{#- The printed 合计 row of the given table kinds, one amount column, per
    document × table kind: amount, half unit, page. -#}
{% macro table_total_cells(table_kinds, column_key) %}
    select
        document_id,
        table_kind,
        sum(amount_yuan) as amount_yuan,
        sum(half_unit_yuan) as half_unit_yuan,
        min(page) as page
    from {{ ref('int_line_items') }}
    where table_kind in {{ sql_list(table_kinds) }}
        and column_key = '{{ column_key }}'
        and row_role = 'total'
    group by
        document_id,
        table_kind
{% endmacro %}


{#- Revenue sources of a summary table (table 1 or 4) at their finest printed
    level: this year's sources (财政拨款收入 only without its parts; the lines
    printed between 本年收入合计 and 收入总计 included) and, with
    include_carryover, the 上年结转 line.  source, amount_yuan, half_unit_yuan
    (printed figures), page, item_name per document. -#}
{% macro summary_leaf_sources(lines, table_kind, include_carryover) %}
    with source_lines as (
        select * from {{ lines }}
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
        from {{ cells }}
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


{#- Table 1's functional classes (printed by name, item_key functional_class)
    = table 3's 类 totals (支出总表 合计 column: the printed 类 row, or the sum
    of the class's leaf rows when the 类 row is not printed). -#}
{% macro identity_summary_classes_vs_expenditure(lines, include_passing=false) %}
    with summary_classes as (
        select
            document_id,
            item_code as class_code,
            max(item_name) as item_name,
            sum(amount_yuan) as amount_yuan,
            sum({{ printed_half_unit('amount_text', 'half_unit_yuan') }}) as half_unit_yuan,
            min(page) as page
        from {{ lines }}
        where table_kind = 'revenue_expenditure_summary'
            and side = 'expenditure'
            and fund_column = 'amount'
            and item_key = 'functional_class'
            and item_code is not null
        group by
            document_id,
            item_code
    ),
    expenditure_cells as (
        select
            line_items.document_id,
            line_items.item_code,
            line_items.amount_yuan,
            line_items.amount_text,
            line_items.half_unit_yuan,
            expenditure_rows.is_leaf
        from {{ ref('int_line_items') }} as line_items
        inner join {{ ref('int_expenditure_rows') }} as expenditure_rows
            on line_items.document_id = expenditure_rows.document_id
            and line_items.table_index = expenditure_rows.table_index
            and line_items.row_index = expenditure_rows.row_index
            and line_items.row_group = expenditure_rows.row_group
        where line_items.table_kind = 'expenditure'
            and line_items.column_key = 'total'
            and line_items.row_role = 'item'
            and {{ is_digit_code('line_items.item_code') }}
    ),
    printed_classes as (
        select document_id, item_code as class_code
        from expenditure_cells
        where length(item_code) = 3
        group by document_id, item_code
    ),
    expenditure_classes as (
        select
            expenditure_cells.document_id,
            substr(expenditure_cells.item_code, 1, 3) as class_code,
            sum(expenditure_cells.amount_yuan) as amount_yuan,
            sum({{ printed_half_unit('expenditure_cells.amount_text', 'expenditure_cells.half_unit_yuan') }})
                as half_unit_yuan
        from expenditure_cells
        left join printed_classes
            on expenditure_cells.document_id = printed_classes.document_id
            and substr(expenditure_cells.item_code, 1, 3) = printed_classes.class_code
        where (printed_classes.class_code is not null and length(expenditure_cells.item_code) = 3)
            or (printed_classes.class_code is null and expenditure_cells.is_leaf)
        group by
            expenditure_cells.document_id,
            substr(expenditure_cells.item_code, 1, 3)
    ),
    both_documents as (
        select document_id from summary_classes
        intersect
        select document_id from expenditure_classes
    ),
    checked as (
        select
            coalesce(summary_classes.document_id, expenditure_classes.document_id) as document_id,
            'revenue_expenditure_summary' as table_kind,
            coalesce(summary_classes.class_code, expenditure_classes.class_code)
                || ' ' || coalesce(summary_classes.item_name, '')
                || ': 收支总表 functional class = 支出总表 类 total' as item,
            coalesce(expenditure_classes.amount_yuan, 0) as expected_yuan,
            coalesce(summary_classes.amount_yuan, 0) as actual_yuan,
            coalesce(expenditure_classes.half_unit_yuan, 0) + coalesce(summary_classes.half_unit_yuan, 0)
                as tolerance_yuan,
            summary_classes.page
        from summary_classes
        full outer join expenditure_classes
            on summary_classes.document_id = expenditure_classes.document_id
            and summary_classes.class_code = expenditure_classes.class_code
        where coalesce(summary_classes.document_id, expenditure_classes.document_id) in (
                select document_id from both_documents
            )
            -- a class neither table spends on is no check
            and (coalesce(summary_classes.amount_yuan, 0) <> 0 or coalesce(expenditure_classes.amount_yuan, 0) <> 0)
    )
    {{ identity_output('summary_classes_vs_expenditure', include_passing=include_passing) }}
{% endmacro %}


{#- Table 1's revenue sources (and 上年结转) = table 2's 合计 row by source. -#}
{% macro identity_summary_sources_vs_revenue(lines, include_passing=false) %}
    with left_sources as ({{ summary_leaf_sources(lines, 'revenue_expenditure_summary', true) }}),
    right_sources as ({{ revenue_table_leaf_sources(ref('int_revenue_cells')) }}),
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
    summary_sources as ({{ summary_leaf_sources(ref('int_summary_lines'), 'fiscal_appropriation_summary', false) }}),
    right_sources as (
        select document_id, source, amount_yuan, half_unit_yuan, page from summary_sources
        where source in {{ sql_list(appropriation_parts() + ['fiscal_appropriation']) }}
    ),
    {{ compare_sources('revenue', '收入总表 合计 row = 财政拨款收支总表 本年收入 line') }}
    {{ identity_output('revenue_vs_appropriation', include_passing=include_passing) }}
{% endmacro %}


{#- Table 4's 一般公共预算 spending (本年支出 line) = table 5's 合计, or table
    5's 合计 plus the general-budget carry-over when table 4 spends the
    carry-over too (上年结转 (一)一般公共预算拨款, or 上年结转 itself when the
    table does not break it down). -#}
{% macro identity_appropriation_vs_general_budget(lines, include_passing=false) %}
    with appropriation_spending as (
        select
            document_id,
            sum(amount_yuan) as amount_yuan,
            sum(half_unit_yuan) as half_unit_yuan,
            min(page) as page
        from {{ lines }}
        where table_kind = 'fiscal_appropriation_summary'
            and side = 'expenditure'
            and fund_column = 'general_public_budget'
            and item_key = 'expenditure_total'
        group by document_id
    ),
    carryover as (
        select
            document_id,
            coalesce(
                sum(case when block = 'carryover' and item_key = 'general_budget' then amount_yuan end),
                sum(case when item_key = 'carryover' then amount_yuan end),
                0
            ) as amount_yuan,
            coalesce(
                sum(case when block = 'carryover' and item_key = 'general_budget' then half_unit_yuan end),
                sum(case when item_key = 'carryover' then half_unit_yuan end),
                0
            ) as half_unit_yuan
        from {{ lines }}
        where table_kind = 'fiscal_appropriation_summary'
            and side = 'revenue'
        group by document_id
    ),
    general_budget as ({{ table_total_cells(['general_budget_expenditure'], 'total') }}),
    compared as (
        select
            appropriation_spending.document_id,
            appropriation_spending.amount_yuan as appropriation_yuan,
            general_budget.amount_yuan as general_budget_yuan,
            coalesce(carryover.amount_yuan, 0) as carryover_yuan,
            appropriation_spending.half_unit_yuan + general_budget.half_unit_yuan as half_units_yuan,
            coalesce(carryover.half_unit_yuan, 0) as carryover_half_yuan,
            appropriation_spending.page
        from appropriation_spending
        inner join general_budget
            on appropriation_spending.document_id = general_budget.document_id
        left join carryover
            on appropriation_spending.document_id = carryover.document_id
    ),
    with_carryover as (
        select
            *,
            carryover_yuan <> 0
                and abs(appropriation_yuan - general_budget_yuan - carryover_yuan)
                    < abs(appropriation_yuan - general_budget_yuan) as includes_carryover
        from compared
    ),
    checked as (
        select
            document_id,
            'fiscal_appropriation_summary' as table_kind,
            case
                when includes_carryover
                    then '一般公共预算 本年支出 (财政拨款收支总表) = 一般公共预算支出表 合计 + 上年结转'
                else '一般公共预算 本年支出 (财政拨款收支总表) = 一般公共预算支出表 合计'
            end as item,
            appropriation_yuan as expected_yuan,
            general_budget_yuan + case when includes_carryover then carryover_yuan else 0 end as actual_yuan,
            half_units_yuan + case when includes_carryover then carryover_half_yuan else 0 end as tolerance_yuan,
            page
        from with_carryover
    )
    {{ identity_output('appropriation_vs_general_budget', include_passing=include_passing) }}
{% endmacro %}


{#- Table 5's 基本支出 合计 = table 6's 合计 (and Jiangsu's 财政拨款支出表 基本支出
    = 财政拨款基本支出表 合计). -#}
{% macro identity_general_budget_basic_vs_economic(rows, include_passing=false) %}
    with basic_spending as ({{ table_total_cells(['general_budget_expenditure', 'fiscal_appropriation_expenditure'], 'basic') }}),
    economic as ({{ table_total_cells(['basic_expenditure_economic', 'fiscal_basic_expenditure'], 'total') }}),
    checked as (
        select
            basic_spending.document_id,
            basic_spending.table_kind,
            '基本支出 合计 (' || basic_spending.table_kind || ') = 合计 (' || economic.table_kind || ')' as item,
            economic.amount_yuan as expected_yuan,
            basic_spending.amount_yuan as actual_yuan,
            basic_spending.half_unit_yuan + economic.half_unit_yuan as tolerance_yuan,
            basic_spending.page
        from basic_spending
        inner join economic
            on basic_spending.document_id = economic.document_id
            and (
                (basic_spending.table_kind = 'general_budget_expenditure'
                    and economic.table_kind = 'basic_expenditure_economic')
                or (basic_spending.table_kind = 'fiscal_appropriation_expenditure'
                    and economic.table_kind = 'fiscal_basic_expenditure')
            )
    )
    {{ identity_output('general_budget_basic_vs_economic', include_passing=include_passing) }}
{% endmacro %}


{#- Table 5's 项目支出 合计 = Σ project amounts of the performance-target
    table (when that table lists every project, which it need not). -#}
{% macro identity_general_budget_project_vs_performance(rows, include_passing=false) %}
    with project_spending as ({{ table_total_cells(['general_budget_expenditure'], 'project') }}),
    projects as (
        select
            document_id,
            count(*) as project_count,
            sum(amount_yuan) as amount_yuan,
            sum(half_unit_yuan) as half_unit_yuan
        from {{ ref('int_performance_projects') }}
        where amount_yuan is not null
        group by document_id
    ),
    checked as (
        select
            project_spending.document_id,
            'general_budget_expenditure' as table_kind,
            '项目支出 合计 = Σ project amounts of the 项目支出绩效目标表 ('
                || cast(projects.project_count as varchar) || ' projects)' as item,
            project_spending.amount_yuan as expected_yuan,
            projects.amount_yuan as actual_yuan,
            project_spending.half_unit_yuan + projects.half_unit_yuan as tolerance_yuan,
            project_spending.page
        from project_spending
        inner join projects
            on project_spending.document_id = projects.document_id
    )
    {{ identity_output('general_budget_project_vs_performance', include_passing=include_passing) }}
{% endmacro %}


{#- Table 7's 公务接待费 / 公务用车运行费 = table 6's 30217 公务接待费 /
    30231 公务用车运行维护费 (50206 / 50208 in the government scheme), where
    both tables print them.  The basis compared: 决算数 in final accounts,
    else this year's budget; the 合计 row of the 三公 table (or its only row). -#}
{% macro identity_three_public_vs_economic(costs, include_passing=false) %}
    with cost_rows as (
        select
            *,
            max(case when basis = 'final_accounts' then 1 else 0 end) over (partition by document_id)
                as has_final_accounts,
            row_number() over (
                partition by document_id, basis
                order by case when row_role = 'total' then 0 else 1 end, table_index, row_index
            ) as row_rank
        from {{ costs }}
    ),
    chosen as (
        select * from cost_rows
        where row_rank = 1
            and basis = case when has_final_accounts = 1 then 'final_accounts' else 'current_budget' end
    ),
    three_public as (
        select document_id, 'reception' as category, reception_yuan as amount_yuan,
            reception_half_unit_yuan as half_unit_yuan, page
        from chosen
        where reception_yuan is not null
        union all
        select document_id, 'vehicle_operation' as category, vehicle_operation_yuan as amount_yuan,
            vehicle_operation_half_unit_yuan as half_unit_yuan, page
        from chosen
        where vehicle_operation_yuan is not null
    ),
    economic as (
        select
            document_id,
            case
                when item_code in ('30217', '50206') then 'reception'
                when item_code in ('30231', '50208') then 'vehicle_operation'
            end as category,
            max(item_code) as item_code,
            max(item_name) as item_name,
            sum(amount_yuan) as amount_yuan,
            sum(half_unit_yuan) as half_unit_yuan
        from {{ ref('int_line_items') }}
        where table_kind = 'basic_expenditure_economic'
            and column_key = 'total'
            and item_code in ('30217', '50206', '30231', '50208')
        group by
            document_id,
            case
                when item_code in ('30217', '50206') then 'reception'
                when item_code in ('30231', '50208') then 'vehicle_operation'
            end
    ),
    checked as (
        select
            three_public.document_id,
            'three_public_costs' as table_kind,
            three_public.category || ' = ' || economic.item_code || ' ' || economic.item_name
                || ' (一般公共预算基本支出表)' as item,
            economic.amount_yuan as expected_yuan,
            three_public.amount_yuan as actual_yuan,
            coalesce(three_public.half_unit_yuan, 0) + economic.half_unit_yuan as tolerance_yuan,
            three_public.page
        from three_public
        inner join economic
            on three_public.document_id = economic.document_id
            and three_public.category = economic.category
    )
    {{ identity_output('three_public_vs_economic', include_passing=include_passing) }}
{% endmacro %}


{#- Table 6's classification rule: 人员经费 合计 = Σ of the 301 and 303 类
    (501, 509), 公用经费 合计 = Σ of the other 类 (302, 310, …).  A class
    counts with its printed 类 row, or its leaf rows when the 类 row is not
    printed.  The printed figures: the 合计 row's 人员经费 / 公用经费 columns,
    or, in a table with one amount column, its 人员经费合计 / 公用经费合计
    rows (Shanghai's 决算 基本支出表). -#}
{% macro identity_economic_cost_type_split(rows, include_passing=false) %}
    with printed_totals as (
        select
            line_items.document_id,
            line_items.table_index,
            line_items.table_kind,
            case
                when line_items.column_key in ('personnel', 'public') then line_items.column_key
                when line_items.item_name like '%人员经费%' then 'personnel'
                when line_items.item_name like '%公用经费%' then 'public'
            end as cost_type,
            sum(line_items.amount_yuan) as total_yuan,
            sum(line_items.half_unit_yuan) as total_half_yuan,
            min(line_items.page) as page
        from {{ ref('int_line_items') }} as line_items
        where line_items.table_kind in ('basic_expenditure_economic', 'fiscal_basic_expenditure')
            and line_items.row_role = 'total'
            and (
                line_items.column_key in ('personnel', 'public')
                or (line_items.column_key = 'total'
                    and (line_items.item_name like '%人员经费%' or line_items.item_name like '%公用经费%'))
            )
        group by
            line_items.document_id,
            line_items.table_index,
            line_items.table_kind,
            case
                when line_items.column_key in ('personnel', 'public') then line_items.column_key
                when line_items.item_name like '%人员经费%' then 'personnel'
                when line_items.item_name like '%公用经费%' then 'public'
            end
    ),
    checked_tables as (
        select distinct document_id, table_index
        from printed_totals
    ),
    class_rows as (
        select
            economic_rows.document_id,
            economic_rows.table_index,
            economic_rows.item_code,
            economic_rows.economic_class,
            economic_rows.class_cost_type,
            economic_rows.is_leaf,
            line_items.amount_yuan,
            line_items.amount_text,
            line_items.half_unit_yuan
        from {{ rows }} as economic_rows
        inner join checked_tables
            on economic_rows.document_id = checked_tables.document_id
            and economic_rows.table_index = checked_tables.table_index
        inner join {{ ref('int_line_items') }} as line_items
            on economic_rows.document_id = line_items.document_id
            and economic_rows.table_index = line_items.table_index
            and economic_rows.row_index = line_items.row_index
            and economic_rows.row_group = line_items.row_group
            and line_items.column_key = 'total'
        where economic_rows.row_role = 'item'
            and economic_rows.class_cost_type is not null
    ),
    printed_classes as (
        select document_id, table_index, economic_class
        from class_rows
        where length(item_code) = 3
        group by document_id, table_index, economic_class
    ),
    by_cost_type as (
        select
            class_rows.document_id,
            class_rows.table_index,
            class_rows.class_cost_type as cost_type,
            sum(class_rows.amount_yuan) as classes_yuan,
            sum({{ printed_half_unit('class_rows.amount_text', 'class_rows.half_unit_yuan') }}) as classes_half_yuan
        from class_rows
        left join printed_classes
            on class_rows.document_id = printed_classes.document_id
            and class_rows.table_index = printed_classes.table_index
            and class_rows.economic_class = printed_classes.economic_class
        where (printed_classes.economic_class is not null and length(class_rows.item_code) = 3)
            or (printed_classes.economic_class is null and class_rows.is_leaf)
        group by
            class_rows.document_id,
            class_rows.table_index,
            class_rows.class_cost_type
    ),
    checked as (
        select
            printed_totals.document_id,
            printed_totals.table_kind,
            case printed_totals.cost_type
                when 'personnel' then '人员经费 合计 = Σ 301 + 303 类 (personnel)'
                else '公用经费 合计 = Σ 302, 310, … 类 (public)'
            end as item,
            printed_totals.total_yuan as expected_yuan,
            coalesce(by_cost_type.classes_yuan, 0) as actual_yuan,
            printed_totals.total_half_yuan + coalesce(by_cost_type.classes_half_yuan, 0) as tolerance_yuan,
            printed_totals.page
        from printed_totals
        left join by_cost_type
            on printed_totals.document_id = by_cost_type.document_id
            and printed_totals.table_index = by_cost_type.table_index
            and printed_totals.cost_type = by_cost_type.cost_type
    )
    {{ identity_output('economic_cost_type_split', include_passing=include_passing) }}
{% endmacro %}
