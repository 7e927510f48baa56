-- audit.documents: every document version the pipeline has seen with its current status
-- (DESIGN.md), the one status `budget-etl status`, the run summary, `accept` / `retire`
-- and rpt_document_status read.  int_document_status gives the status before the identity
-- checks; a `loaded` document with a finding of severity `error` in audit.identity_findings
-- is `quarantined`: kept in raw and audit, out of the marts until fixed or accepted.  A view
-- over the load step's outcomes and people's decisions: an acceptance or a retirement shows
-- at once, the findings are those of the last build.

{{ config(materialized='view') }}

with loads as (

    select * from {{ ref('stg_audit_document_loads') }}

),

document_status as (

    select * from {{ ref('int_document_status') }}

),

errors as (

    select
        document_id,
        count(*) as error_count,
        string_agg(
            distinct case when left(identity, 10) = 'structure_' then identity end,
            ', '
            order by case when left(identity, 10) = 'structure_' then identity end
        ) as structural
    from {{ ref('identity_findings') }}
    where severity = 'error'
    group by document_id

),

final as (

    select
        loads.document_id,
        loads.file_name,
        loads.sha256,
        case
            when document_status.document_status = 'loaded' and errors.error_count > 0 then 'quarantined'
            else document_status.document_status
        end as status,
        case
            when document_status.document_status = 'loaded' and errors.error_count > 0
                then coalesce('structural checks failed (' || errors.structural || '); ', '')
                || cast(errors.error_count as varchar) || ' identity errors, see audit.identity_findings'
            else document_status.status_reason
        end as reason,
        loads.department_name,
        loads.fiscal_year,
        loads.doc_kind,
        loads.page_count,
        loads.tables_found,
        loads.loaded_at,
        loads.extractor_version
    from loads
    inner join document_status
        on loads.document_id = document_status.document_id
    left join errors
        on loads.document_id = errors.document_id

)

select
    cast(document_id as varchar) as document_id,
    cast(file_name as varchar) as file_name,
    cast(sha256 as varchar) as sha256,
    cast(status as varchar) as status,
    cast(reason as varchar) as reason,
    cast(department_name as varchar) as department_name,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_kind as varchar) as doc_kind,
    cast(page_count as integer) as pages,
    cast(tables_found as integer) as tables_found,
    cast(loaded_at as timestamp) as loaded_at,
    cast(extractor_version as varchar) as extractor_version
from final
