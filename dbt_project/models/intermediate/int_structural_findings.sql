-- Structural checks on the extracted rows, per document, before any model
-- reads them as numbers: the net under the extractor.  A document with a
-- row here is quarantined (audit.identity_findings, severity `error`) and
-- kept out of every model below staging that reads its cells, so that one
-- odd document can never fail or skew the build for the others.
-- One row per document × check × table, with how often it occurs and the
-- first place it occurs.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{%- set known_unit = unit_multiplier('unit') ~ ' is not null' %}

with line_items as (

    select * from {{ changed_rows('stg_line_items') }} as stg_line_items

),

indicators as (

    select * from {{ changed_rows('stg_performance_indicators') }} as stg_performance_indicators

),

mentions as (

    select * from {{ changed_rows('stg_narrative_mentions') }} as stg_narrative_mentions

),

documents as (

    select * from {{ changed_rows('stg_documents') }} as stg_documents

),

unknown_identity as (

    -- whose budget, which year: never keyed to a guess
    select
        document_id,
        cast(null as integer) as table_index,
        'document' as table_kind,
        cast(null as integer) as page,
        'structure_unknown_' || what as identity,
        'the cover, the table headings and the file name state no ' || replace(what, '_', ' ') as item
    from documents
    cross join (values ('department'), ('fiscal_year')) as checks (what)
    where (what = 'department' and department_name is null)
        or (what = 'fiscal_year' and fiscal_year is null)

),

cell_keys as (

    -- the same cell (table, row, column) written twice
    select
        document_id,
        table_index,
        min(table_kind) as table_kind,
        min(page) as page,
        'structure_repeated_cell' as identity,
        'row ' || row_index || ', column ' || col_index || ' written ' || count(*) || ' times' as item
    from line_items
    where table_index is not null and row_index is not null and col_index is not null
    group by document_id, table_index, row_index, col_index
    having count(*) > 1

),

column_keys as (

    -- one header meaning over two columns of the same row: a nested header
    -- read flat (小计 | 人员经费 | 公用经费 all under 基本支出)
    select
        document_id,
        table_index,
        min(table_kind) as table_kind,
        min(page) as page,
        'structure_repeated_column_key' as identity,
        'column meaning ' || column_key || ' on columns '
        || string_agg(distinct cast(col_index as varchar), ', ' order by cast(col_index as varchar)) || ' of one row' as item
    from line_items
    where column_key is not null
    group by document_id, table_index, row_index, coalesce(item_code, ''), coalesce(item_name, ''), column_key
    having count(distinct col_index) > 1
        -- an empty spacer line (no code, no total, nothing printed) reads the same either way
        and (
            max(item_code) is not null
            or max(case when row_role = 'total' then 1 else 0 end) = 1
            or count(amount_text) > 0
        )

),

missing_keys as (

    select
        document_id,
        table_index,
        table_kind,
        page,
        'structure_missing_key' as identity,
        'cell without ' || case
            when table_index is null then 'table index'
            when row_index is null then 'row index'
            when col_index is null then 'column index'
            when table_kind is null then 'table kind'
            when column_key is null then 'column meaning'
            when is_blank is null then 'blank flag'
            else 'row role (' || coalesce(row_role, 'NULL') || ')'
        end as item
    from line_items
    where table_index is null
        or row_index is null
        or col_index is null
        or table_kind is null
        or column_key is null
        or is_blank is null
        or row_role is null
        or row_role not in ('total', 'item')

),

amounts as (

    select
        document_id,
        table_index,
        table_kind,
        page,
        case
            when {{ try_decimal('amount_text') }} is null then 'structure_unparseable_amount'
            when not ({{ known_unit }}) then 'structure_amount_without_unit'
            else 'structure_amount_out_of_range'
        end as identity,
        'row ' || row_index || ', column ' || col_index || ': ' || coalesce(raw_text, amount_text)
        || ' (unit ' || coalesce(unit, 'none') || ')' as item
    from line_items
    where amount_text is not null
        and (
            {{ try_decimal('amount_text') }} is null
            or not ({{ known_unit }})
            -- DECIMAL(20, 2) holds less than 10^18 元
            or abs(cast({{ try_decimal('amount_text') }} as {{ dbt.type_float() }}) * {{ unit_multiplier('unit') }}) >= 1e18
        )

),

codes as (

    -- a classification code of no level: functional codes have 类 3, 款 5, 项 7
    -- digits, economic codes 类 3, 款 5 and the 细目 7 some provinces print
    -- under a 款 (3021101 差旅费 under 30211, Chongqing's 3030101): a level of
    -- dim_economic_classification, checked against its 款 like a 项
    select
        document_id,
        table_index,
        table_kind,
        page,
        'structure_code_without_level' as identity,
        'row ' || row_index || ': code ' || item_code as item
    from line_items
    where item_code is not null
        and {{ code_level('item_code') }} is null

),

indicator_rows as (

    select
        document_id,
        table_index,
        'project_performance_targets' as table_kind,
        page,
        case
            when table_index is null or row_index is null then 'structure_missing_key'
            when count(*) over (partition by document_id, table_index, row_index) > 1
                then 'structure_repeated_cell'
            when {{ try_decimal('amount_text') }} is null then 'structure_unparseable_amount'
            else 'structure_amount_without_unit'
        end as identity,
        'indicator row ' || coalesce(cast(row_index as varchar), 'NULL') || ': '
        || coalesce(project_name, '') || ' ' || coalesce(amount_raw, amount_text, '') as item,
        (
            table_index is null
            or row_index is null
            or count(*) over (partition by document_id, table_index, row_index) > 1
            or (amount_text is not null and {{ try_decimal('amount_text') }} is null)
            or (amount_text is not null and {{ unit_multiplier('amount_unit') }} is null)
        ) as is_anomaly
    from indicators

),

mention_values as (

    select
        document_id,
        cast(null as integer) as table_index,
        'narrative' as table_kind,
        page,
        'structure_unparseable_amount' as identity,
        'narrative sentence ' || sentence_index || ': '
        || coalesce(amount_text, '') || ' ' || coalesce(share_pct, '') || ' ' || coalesce(change_pct, '') as item
    from mentions
    where (amount_text is not null and {{ try_decimal('amount_text') }} is null)
        or (base_amount_text is not null and {{ try_decimal('base_amount_text') }} is null)
        or (change_amount_text is not null and {{ try_decimal('change_amount_text') }} is null)
        or (share_pct is not null and {{ try_decimal('share_pct', '9, 4') }} is null)
        or (change_pct is not null and {{ try_decimal('change_pct', '9, 4') }} is null)

),

anomalies as (

    select document_id, table_index, table_kind, page, identity, item from cell_keys
    union all
    select document_id, table_index, table_kind, page, identity, item from column_keys
    union all
    select document_id, table_index, table_kind, page, identity, item from missing_keys
    union all
    select document_id, table_index, table_kind, page, identity, item from amounts
    union all
    select document_id, table_index, table_kind, page, identity, item from codes
    union all
    select document_id, table_index, table_kind, page, identity, item from indicator_rows where is_anomaly
    union all
    select document_id, table_index, table_kind, page, identity, item from mention_values
    union all
    select document_id, table_index, table_kind, page, identity, item from unknown_identity

),

summarized as (

    -- one finding per document × check × table: the first place and how often
    select
        document_id,
        identity,
        coalesce(min(table_kind), 'unknown') as table_kind,
        table_index,
        min(page) as page,
        count(*) as occurrences,
        min(item) as first_item
    from anomalies
    where document_id is not null
    group by document_id, identity, table_index

)

select
    document_id,
    identity,
    table_kind,
    table_index,
    page,
    occurrences,
    first_item
    || case when occurrences > 1 then ' (and ' || (occurrences - 1) || ' more)' else '' end as item,
    'error' as severity
from summarized

{% endcall %}
