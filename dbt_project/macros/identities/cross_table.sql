{#- Identities across the tables of one document, severity warn: the
    document loads and the finding is reported.  Each compares figures only
    when the document has both tables.  The macro's argument is the model
    its generic test is attached to; the 合计 cells of the other tables are
    read from int_line_items, which carries each figure's half unit.

    This file: spending (table 1's classes = table 3, table 4 = table 5, table 5
    = table 6's total and the performance-target projects).  Revenue sources:
    cross_table_revenue.sql; table 6's economic classification against the
    三公 table and its cost types: cross_table_economic.sql. -#}


{#- The printed 合计 row of the given table kinds, one amount column, per
    document × table kind: amount, half unit, page. -#}
{% macro table_total_cells(table_kinds, column_key) %}
    select
        document_id,
        table_kind,
        sum(amount_yuan) as amount_yuan,
        sum(half_unit_yuan) as half_unit_yuan,
        min(page) as page
    from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind in {{ sql_list(table_kinds) }}
        and column_key = '{{ column_key }}'
        and row_role = 'total'
    group by
        document_id,
        table_kind
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
        from {{ lines }} as lines_input
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
        from {{ changed_rows('int_line_items') }} as line_items
        inner join {{ changed_rows('int_expenditure_rows') }} as expenditure_rows
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
        from {{ lines }} as lines_input
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
        from {{ lines }} as lines_input
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
        from {{ changed_rows('int_performance_projects') }} as int_performance_projects
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
