-- One row per admitted document (a published PDF version): what it is,
-- who published it, for which year, and its pipeline status.

with documents as (

    select * from {{ ref('int_documents_admitted') }}

),

publication_parts as (

    -- the narrative file of a publication printed in two
    select
        tables_document_id,
        min(narrative_file_name) as narrative_file_name
    from {{ ref('int_publication_parts') }}
    where tables_document_id is not null
    group by tables_document_id

)

select
    cast(document_id as varchar) as document_id,
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_kind as varchar) as doc_kind,
    cast(doc_scope as varchar) as doc_scope,
    cast(is_department_level as boolean) as is_department_level,
    cast(parent_department_name as varchar) as parent_department_name,
    cast(publication_parts.narrative_file_name as varchar) as narrative_file_name,
    cast(document_title as varchar) as document_title,
    cast(file_name as varchar) as file_name,
    cast(sha256 as varchar) as sha256,
    cast(page_count as integer) as page_count,
    cast(tables_found as integer) as tables_found,
    cast(extractor_version as varchar) as extractor_version,
    cast(extracted_at as timestamp) as extracted_at,
    cast(document_status as varchar) as document_status,
    cast(status_recorded_at as timestamp) as status_recorded_at,
    cast(error_findings as integer) as error_findings,
    cast(warn_findings as integer) as warn_findings,
    cast(acceptance_reason as varchar) as acceptance_reason,
    cast(accepted_by as varchar) as accepted_by,
    cast(accepted_at as timestamp) as accepted_at
from documents
left join publication_parts
    on documents.document_id = publication_parts.tables_document_id
