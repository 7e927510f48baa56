-- Documents admitted into the marts: extracted (raw.documents) with status
-- (audit.documents, computed from the load outcomes, decisions and findings)
--   * `accepted` by a person, or
--   * `loaded`: no identity finding of severity `error`.
-- Quarantined, rejected, superseded, narrative and retired documents stay in raw and audit only.

with documents as (

    select * from {{ ref('stg_documents') }}

),

document_status as (

    select
        document_id,
        status as document_status,
        reason as status_reason,
        loaded_at as status_recorded_at
    from {{ ref('documents') }}

),

findings as (

    select
        document_id,
        count(case when severity = 'error' then 1 end) as error_findings,
        count(case when severity = 'warn' then 1 end) as warn_findings
    from {{ ref('identity_findings') }}
    group by document_id

),

acceptances as (

    select
        document_id,
        acceptance_reason,
        accepted_by,
        accepted_at,
        row_number() over (partition by document_id order by accepted_at desc) as recency_rank
    from {{ ref('stg_audit_acceptances') }}

),

classified as (

    select
        documents.*,
        document_status.document_status as audit_status,
        document_status.status_reason,
        document_status.status_recorded_at,
        coalesce(findings.error_findings, 0) as error_findings,
        coalesce(findings.warn_findings, 0) as warn_findings,
        document_status.document_status in ('loaded', 'accepted') as is_admitted
    from documents
    inner join document_status
        on documents.document_id = document_status.document_id
    left join findings
        on documents.document_id = findings.document_id

),

admitted as (

    select
        classified.document_id,
        classified.sha256,
        classified.file_name,
        classified.document_title,
        {{ normalize_department_name('classified.department_name') }} as department_name,
        coalesce(
            md5({{ normalize_department_name('classified.department_name') }}),
            'unknown'
        ) as department_key,
        classified.region,
        coalesce(classified.fiscal_year, 0) as fiscal_year,
        classified.doc_kind,
        classified.doc_scope,
        {{ normalize_department_name('classified.parent_department_name') }} as parent_department_name,
        md5({{ normalize_department_name('classified.parent_department_name') }}) as parent_department_key,
        classified.page_count,
        classified.tables_found,
        classified.extractor_version,
        classified.extracted_at,
        case when classified.audit_status = 'accepted' then 'accepted' else 'loaded' end as document_status,
        classified.status_reason,
        classified.status_recorded_at,
        classified.error_findings,
        classified.warn_findings,
        acceptances.acceptance_reason,
        acceptances.accepted_by,
        acceptances.accepted_at

    from classified
    left join acceptances
        on classified.document_id = acceptances.document_id
        and acceptances.recency_rank = 1
    where classified.is_admitted

),

final as (

    -- the one document per department, year and kind that department-level
    -- aggregates take: the 部门 document where there is one (a 单位 document
    -- beside it is a unit inside its total), else the latest 单位 document
    select
        *,
        row_number() over (
            partition by department_key, fiscal_year, doc_kind
            order by case when doc_scope = '部门' then 0 else 1 end, extracted_at desc, document_id
        ) = 1 as is_department_level
    from admitted

)

select * from final
