-- Performance indicators (绩效指标) of the projects of the performance-target
-- tables: one row per admitted document × project × indicator (the printed
-- indicator row; the same indicator text may occur in several projects and,
-- rarely, twice in one project, so the grain is the printed row).

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with indicators as (

    select * from {{ changed_rows('stg_performance_indicators') }} as stg_performance_indicators
    where indicator is not null
        and indicator <> ''

),

documents as (

    select * from {{ ref('int_documents_admitted') }}

),

numbered as (

    select
        *,
        row_number() over (
            partition by document_id, project_name
            order by table_index, row_index
        ) as indicator_order
    from indicators

),

final as (

    select
        numbered.document_id,
        documents.department_key,
        documents.fiscal_year,
        documents.doc_scope,
        coalesce(nullif(numbered.project_name, ''), 'unknown') as project_name,
        numbered.indicator_order,
        numbered.level1,
        numbered.level2,
        numbered.indicator,
        numbered.operator,
        numbered.target_value,
        numbered.unit,
        numbered.table_index,
        numbered.row_index,
        numbered.page
    from numbered
    inner join documents
        on numbered.document_id = documents.document_id

)

-- the columns of fct_performance_indicator.yml, cast to their contract's types
select {{ contract_columns() }}
from final

{% endcall %}
