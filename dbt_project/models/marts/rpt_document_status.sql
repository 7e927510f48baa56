-- Every document version the pipeline has seen (audit.documents: the status computed there, the one
-- `budget-etl status` shows), with the number of
-- failed identities by severity (audit.identity_findings) and whether it is in the marts.

with documents as (

    select * from {{ ref('documents') }}

),

findings as (

    select
        document_id,
        count(*) as findings,
        count(*) filter (where severity = 'error') as error_findings,
        count(*) filter (where severity = 'warn') as warn_findings
    from {{ ref('identity_findings') }}
    group by document_id

),

companions as (

    -- the other file of a publication printed in two (tables / narrative)
    select narrative_document_id as document_id, tables_file_name as companion_file_name
    from {{ ref('int_publication_parts') }}
    where tables_document_id is not null
    union all
    select tables_document_id as document_id, min(narrative_file_name) as companion_file_name
    from {{ ref('int_publication_parts') }}
    where tables_document_id is not null
    group by tables_document_id

)

select
    cast(d.document_id as varchar) as document_id,
    cast(d.file_name as varchar) as file_name,
    cast(d.status as varchar) as document_status,
    cast(d.reason as varchar) as status_reason,
    cast(d.department_name as varchar) as department_name,
    cast(d.fiscal_year as integer) as fiscal_year,
    cast(d.doc_kind as varchar) as doc_kind,
    cast(d.pages as integer) as page_count,
    cast(d.tables_found as integer) as tables_found,
    cast(coalesce(f.findings, 0) as integer) as findings,
    cast(coalesce(f.error_findings, 0) as integer) as error_findings,
    cast(coalesce(f.warn_findings, 0) as integer) as warn_findings,
    cast(m.document_id is not null as boolean) as in_marts,
    cast(c.companion_file_name as varchar) as companion_file_name,
    cast(d.loaded_at as timestamp) as status_recorded_at
from documents as d
left join findings as f
    on f.document_id = d.document_id
left join {{ ref('dim_document') }} as m
    on m.document_id = d.document_id
left join companions as c
    on c.document_id = d.document_id
