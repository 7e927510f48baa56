{#- Identities across tables (severity warn, see cross_table.sql): table 6's
    economic classification against the “三公” table (7) and its cost types
    (人员经费 / 公用经费). -#}


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
        from {{ costs }} as costs_input
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
        from {{ changed_rows('int_line_items') }} as int_line_items
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
        from {{ changed_rows('int_line_items') }} as line_items
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
    {#- A row's amount is its 合计 column; a table printed as two groups side by side (人员经费 |
        公用经费, each code | name | amount: central final accounts) has no 合计 column, and a
        row's amount is the one its group prints. -#}
    tables_with_total as (
        select distinct line_items.document_id, line_items.table_index
        from {{ changed_rows('int_line_items') }} as line_items
        inner join checked_tables
            on line_items.document_id = checked_tables.document_id
            and line_items.table_index = checked_tables.table_index
        where line_items.row_role = 'item'
            and line_items.column_key = 'total'
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
        left join tables_with_total
            on economic_rows.document_id = tables_with_total.document_id
            and economic_rows.table_index = tables_with_total.table_index
        inner join {{ changed_rows('int_line_items') }} as line_items
            on economic_rows.document_id = line_items.document_id
            and economic_rows.table_index = line_items.table_index
            and economic_rows.row_index = line_items.row_index
            and economic_rows.row_group = line_items.row_group
            and (
                line_items.column_key = 'total'
                or (tables_with_total.table_index is null and line_items.column_key in ('personnel', 'public'))
            )
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
