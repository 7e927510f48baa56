-- Every document version's status before the identity checks, computed from the load step's
-- outcome (audit.document_loads) and people's decisions (audit.retirements, audit.acceptances):
--   retired     a person retired it (`budget-etl retire`): whatever later loads find
--   rejected    the load found no readable budget document
--   superseded  a newer version of the same publication part counts instead (below)
--   narrative   the narrative part of a publication (its tables are another file)
--   accepted    a person accepted it (`budget-etl accept`) after its last load
--   loaded      current: the identity checks decide whether it is quarantined
--               (audit.documents, the status the pipeline reports)
-- Versions: of the extracted documents (raw.documents) for one department, year, kind and
-- scope, and the same part (tables, or a narrative without tables: two parts of one
-- publication are not versions of each other), only the newest counts.  Newest = first seen
-- last (audit.files; extracting an old file again does not make it new), ties broken by the
-- larger document_id; retired versions do not count at all.  A view: a decision recorded by
-- `accept` or `retire` shows at once, before the rebuild.

{{ config(materialized='view') }}

with loads as (

    select * from {{ ref('stg_audit_document_loads') }}

),

retirements as (

    select
        document_id,
        retirement_reason,
        row_number() over (partition by document_id order by retired_at desc) as recency_rank
    from {{ ref('stg_audit_retirements') }}

),

acceptances as (

    select
        document_id,
        acceptance_reason,
        accepted_at,
        row_number() over (partition by document_id order by accepted_at desc) as recency_rank
    from {{ ref('stg_audit_acceptances') }}

),

first_seen as (

    select document_id, min(first_seen_at) as first_seen_at
    from {{ ref('stg_audit_files') }}
    group by document_id

),

versions as (

    select
        documents.document_id,
        loads.file_name,
        row_number() over (
            partition by
                documents.department_name,
                documents.fiscal_year,
                documents.doc_kind,
                documents.doc_scope,
                coalesce(documents.tables_found, 0) > 0
            order by first_seen.first_seen_at desc, documents.document_id desc
        ) as version_rank,
        first_value(loads.file_name) over (
            partition by
                documents.department_name,
                documents.fiscal_year,
                documents.doc_kind,
                documents.doc_scope,
                coalesce(documents.tables_found, 0) > 0
            order by first_seen.first_seen_at desc, documents.document_id desc
        ) as newest_file_name
    from {{ ref('stg_documents') }} as documents
    inner join first_seen
        on documents.document_id = first_seen.document_id
    inner join loads
        on documents.document_id = loads.document_id
    where documents.department_name is not null
        and documents.fiscal_year is not null
        and documents.doc_kind is not null
        and documents.document_id not in (select document_id from retirements)

),

statuses as (

    select
        loads.document_id,
        loads.file_name,
        loads.load_outcome,
        case
            when retirements.document_id is not null then 'retired'
            when loads.load_outcome = 'rejected' then 'rejected'
            when versions.version_rank > 1 then 'superseded'
            when loads.load_outcome = 'narrative' then 'narrative'
            when acceptances.document_id is not null then 'accepted'
            else 'loaded'
        end as document_status,
        case
            when retirements.document_id is not null then retirements.retirement_reason
            when loads.load_outcome = 'rejected' then loads.load_reason
            when versions.version_rank > 1 then 'superseded by ' || versions.newest_file_name
            when loads.load_outcome = 'narrative' then loads.load_reason
            when acceptances.document_id is not null then acceptances.acceptance_reason
        end as status_reason,
        loads.loaded_at as status_recorded_at
    from loads
    left join retirements
        on loads.document_id = retirements.document_id
        and retirements.recency_rank = 1
    left join versions
        on loads.document_id = versions.document_id
    left join acceptances
        on loads.document_id = acceptances.document_id
        and acceptances.recency_rank = 1
        and acceptances.accepted_at >= loads.loaded_at

)

select * from statuses
