-- The summary tables, one row per amount cell: 收支总表 (table 1,
-- revenue_expenditure_summary) and 财政拨款收支总表 (table 4,
-- fiscal_appropriation_summary).  Each printed row holds a revenue line on
-- the left and a spending line on the right, so the meaning (item_key,
-- item_code) belongs to the cell's side, not to the row.
--
--   side         revenue | expenditure | expenditure_use (Jiangsu's third
--                group: spending by use, 基本支出 / 项目支出) |
--                expenditure_economic / expenditure_government_economic
--                (Xi'an: spending by department / government economic class
--                beside spending by function)
--   fund_column  amount (tables 1, 4 left side) | total | general_public_budget
--                | government_fund | state_capital (table 4's spending columns)
--   block        where a revenue-source line sits: `current_year` (本年收入:
--                the sources before 本年收入合计 in table 1, or under the
--                一、本年收入 heading in table 4) or `carryover` (a part of
--                上年结转: the sources under the 二、上年结转 heading).  A
--                source line belongs to the carry-over block when the
--                nearest heading/total line above it on the same side is
--                the 上年结转 line; `addition` (上级补助收入, 附属单位上缴收入,
--                使用非财政拨款结余 printed below a closing 本年收入合计 — one
--                the sources are printed above — and above 收入总计, 烟台;
--                revenue_additions): revenue of the year outside 本年收入合计
--                and part of 收入总计.  Under a heading 本年收入合计 printed above
--                its sources (table 4's 一、本年收入) the lines are this year's.
-- All documents, whatever their status: the identities are evaluated here.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with line_items as (

    select
        *,
        substr(column_key, 1, position('/' in column_key) - 1) as side,
        substr(column_key, position('/' in column_key) + 1) as fund_column
    from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind in ('revenue_expenditure_summary', 'fiscal_appropriation_summary')
        and position('/' in column_key) > 0

),

headed as (

    -- the nearest revenue heading / total line above each line, same column
    select
        line_items.*,
        max(case
            when item_key in ('revenue_total', 'carryover', 'revenue_grand_total') then row_index
        end) over (
            partition by document_id, table_index, column_key
            order by row_index
            rows between unbounded preceding and 1 preceding
        ) as heading_row_index
    from line_items

),

headings as (

    select
        document_id,
        table_index,
        column_key,
        row_index,
        min(item_key) as heading_key
    from line_items
    where item_key in ('revenue_total', 'carryover', 'revenue_grand_total')
    group by
        document_id,
        table_index,
        column_key,
        row_index

),

first_sources as (

    -- the first revenue-source line of each column: a 本年收入合计 printed below it closes the sources
    select
        document_id,
        table_index,
        column_key,
        min(row_index) as row_index
    from line_items
    where item_key in {{ sql_list(current_revenue_sources()) }}
    group by
        document_id,
        table_index,
        column_key

),

final as (

    select
        headed.document_id,
        headed.table_index,
        headed.table_kind,
        headed.row_index,
        headed.col_index,
        headed.page,
        headed.row_role,
        headed.item_code,
        headed.item_name,
        headed.item_key,
        headed.column_key,
        headed.side,
        headed.fund_column,
        case
            when headed.side = 'revenue' and headings.heading_key = 'carryover' then 'carryover'
            when headed.side = 'revenue'
                and headings.heading_key = 'revenue_total'
                and first_sources.row_index < headings.row_index
                and headed.item_key in {{ sql_list(revenue_additions()) }}
                then 'addition'
            else 'current_year'
        end as block,
        headed.amount_text,
        headed.amount_yuan,
        headed.half_unit_yuan,
        headed.document_status
    from headed
    left join headings
        on headed.document_id = headings.document_id
        and headed.table_index = headings.table_index
        and headed.column_key = headings.column_key
        and headed.heading_row_index = headings.row_index
    left join first_sources
        on headed.document_id = first_sources.document_id
        and headed.table_index = first_sources.table_index
        and headed.column_key = first_sources.column_key

)

select * from final

{% endcall %}
