-- Documents allowed into the marts: extracted (raw.documents) and whose
-- latest audit status is `loaded` or `accepted`.  Quarantined, rejected
-- and superseded documents stay in raw and audit only.

with documents as (

    select * from {{ ref('stg_documents') }}

),

document_status as (

    select * from {{ ref('int_document_status') }}

),

admitted as (

    select
        documents.document_id,
        documents.sha256,
        documents.file_name,
        documents.document_title,
        {{ normalize_name('documents.department_name') }} as department_name,
        coalesce(
            md5({{ normalize_name('documents.department_name') }}),
            'unknown'
        ) as department_key,
        documents.region,
        coalesce(documents.fiscal_year, 0) as fiscal_year,
        documents.doc_kind,
        documents.doc_scope,
        documents.page_count,
        documents.tables_found,
        documents.extractor_version,
        documents.extracted_at,
        document_status.document_status,
        document_status.status_reason,
        document_status.status_recorded_at

    from documents
    inner join document_status
        on documents.document_id = document_status.document_id
    where document_status.is_admitted

)

select * from admitted
