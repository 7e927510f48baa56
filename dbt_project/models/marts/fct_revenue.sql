-- Revenue by source (收入来源): one row per admitted document × revenue
-- source, for every printed, non-zero amount, at the finest level printed:
--   * 收支总表 (table 1): the revenue side's source lines of this year
--     (本年收入) and its 上年结转 line.  财政拨款收入 (fiscal_appropriation)
--     is dropped when its parts (一般公共预算 / 政府性基金 / 国有资本经营预算
--     拨款收入) are printed;
--   * 收入总表 (table 2) as the fall-back: its 合计 row by source column
--     (or its source rows, Jiangsu's vertical layout) for every source table
--     1 does not print at all (table 1 missing, or a source it lacks).  The
--     three appropriations and 财政拨款收入 fall back as a group, so the
--     same money is never stored twice.
-- 本年收入合计 = Σ sources other than carryover (and other than the lines a
-- template prints between 本年收入合计 and 收入总计, block `addition`: 烟台's
-- 上级补助收入, revenue of the year all the same); 收入总计 = Σ all.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{%- set current_sources = current_revenue_sources() %}
{%- set all_sources = current_sources + ['carryover'] %}
{%- set appropriation_group = appropriation_parts() + ['fiscal_appropriation'] %}

with summary_lines as (

    select
        document_id,
        table_index,
        row_index,
        col_index,
        page,
        item_key as revenue_source,
        item_name,
        amount_text,
        amount_yuan,
        1 as source_priority,
        'revenue_expenditure_summary' as source_table_kind
    from {{ changed_rows('int_summary_lines') }} as int_summary_lines
    where table_kind = 'revenue_expenditure_summary'
        and side = 'revenue'
        and (
            (block in ('current_year', 'addition') and item_key in {{ sql_list(current_sources) }})
            or item_key = 'carryover'
        )

),

revenue_cells as (

    select
        document_id,
        table_index,
        row_index,
        col_index,
        page,
        case when table_layout = 'wide' then column_key else item_key end as revenue_source,
        item_name,
        amount_text,
        amount_yuan,
        2 as source_priority,
        'revenue' as source_table_kind
    from {{ changed_rows('int_revenue_cells') }} as int_revenue_cells
    where (table_layout = 'wide' and is_total_row and column_key in {{ sql_list(all_sources) }})
        or (table_layout = 'vertical' and column_key = 'total' and item_key in {{ sql_list(all_sources) }})

),

candidates as (

    select * from summary_lines
    union all
    select * from revenue_cells

),

part_presence as (

    -- 1 when the table prints any of the three appropriations
    select
        document_id,
        source_priority,
        max(case when revenue_source in {{ sql_list(appropriation_parts()) }} then 1 else 0 end) as has_parts
    from candidates
    group by
        document_id,
        source_priority

),

leaf_lines as (

    -- 财政拨款收入 only when the same table prints none of its parts
    select candidates.*
    from candidates
    inner join part_presence
        on candidates.document_id = part_presence.document_id
        and candidates.source_priority = part_presence.source_priority
    where not (candidates.revenue_source = 'fiscal_appropriation' and part_presence.has_parts = 1)

),

summary_sources as (

    -- the sources table 1 prints
    select distinct document_id, revenue_source
    from summary_lines

),

summary_appropriation as (

    -- documents whose table 1 prints any appropriation line
    select distinct document_id
    from summary_lines
    where revenue_source in {{ sql_list(appropriation_group) }}

),

chosen as (

    select leaf_lines.*
    from leaf_lines
    where leaf_lines.source_priority = 1
        or (
            not exists (
                select 1
                from summary_sources
                where summary_sources.document_id = leaf_lines.document_id
                    and summary_sources.revenue_source = leaf_lines.revenue_source
            )
            and not (
                leaf_lines.revenue_source in {{ sql_list(appropriation_group) }}
                and leaf_lines.document_id in (select document_id from summary_appropriation)
            )
        )

),

ranked as (

    select
        *,
        row_number() over (
            partition by document_id, revenue_source
            order by table_index, row_index, col_index
        ) as line_rank,
        sum(amount_yuan) over (partition by document_id, revenue_source) as source_yuan
    from chosen
    where amount_text is not null

),

documents as (

    select * from {{ ref('int_documents_admitted') }}

),

final as (

    select
        ranked.document_id,
        documents.department_key,
        documents.fiscal_year,
        documents.doc_scope,
        ranked.revenue_source,
        ranked.source_yuan as amount_yuan,
        ranked.item_name,
        ranked.source_table_kind,
        ranked.table_index,
        ranked.row_index,
        ranked.col_index,
        ranked.page
    from ranked
    inner join documents
        on ranked.document_id = documents.document_id
    where ranked.line_rank = 1
        and ranked.source_yuan <> 0

)

select
    cast(document_id as varchar) as document_id,
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_scope as varchar) as doc_scope,
    cast(revenue_source as varchar) as revenue_source,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(item_name as varchar) as item_name,
    cast(source_table_kind as varchar) as source_table_kind,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page
from final

{% endcall %}
