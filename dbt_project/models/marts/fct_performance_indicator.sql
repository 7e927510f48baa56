-- Performance indicators (绩效指标) of the projects of the performance-target
-- tables: one row per admitted document × project × indicator (the printed
-- indicator row; the same indicator text may occur in several projects and,
-- rarely, twice in one project, so the grain is the printed row).

with indicators as (

    select * from {{ ref('stg_performance_indicators') }}
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

select
    cast(document_id as varchar) as document_id,
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_scope as varchar) as doc_scope,
    cast(project_name as varchar) as project_name,
    cast(indicator_order as integer) as indicator_order,
    cast(level1 as varchar) as level1,
    cast(level2 as varchar) as level2,
    cast(indicator as varchar) as indicator,
    cast(operator as varchar) as operator,
    cast(target_value as varchar) as target_value,
    cast(unit as varchar) as unit,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(page as integer) as page
from final
