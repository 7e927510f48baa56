-- One build key per document: an md5 of everything that can change what the incremental models
-- (staging → facts, audit.identity_findings) hold for it.  Its own part: the load (outcome,
-- reason, loaded_at, extractor version, sha256), the extraction (metadata, extracted_at,
-- tables found), when it was first seen (supersede order), its status before the identity
-- checks and the reason (retired, superseded by …, accepted, …) and the latest acceptance and
-- retirement.  Its group's part: the own parts of every document of the same department
-- (normalized), fiscal year and kind, the group in which the cross-document rules work
-- (supersede within department/year/kind/scope/part, a narrative file checked against its
-- tables file, is_department_level): any change in the group changes every member's key.
-- Documents without department, year or kind are a group of their own.
-- int_changed_documents compares these keys with those of the last build.  Cheap: one row per
-- document, rebuilt in full.

with documents as (

    select * from {{ ref('stg_documents') }}

),

loads as (

    select * from {{ ref('stg_audit_document_loads') }}

),

document_status as (

    select * from {{ ref('int_document_status') }}

),

first_seen as (

    select document_id, min(first_seen_at) as first_seen_at
    from {{ ref('stg_audit_files') }}
    group by document_id

),

acceptances as (

    select document_id, max(accepted_at) as accepted_at
    from {{ ref('stg_audit_acceptances') }}
    group by document_id

),

retirements as (

    select document_id, max(retired_at) as retired_at
    from {{ ref('stg_audit_retirements') }}
    group by document_id

),

document_ids as (

    select document_id from loads
    union
    select document_id from documents

),

own as (

    select
        document_ids.document_id,
        case
            when documents.department_name is not null
                and documents.fiscal_year is not null
                and documents.doc_kind is not null
                then coalesce({{ normalize_department_name('documents.department_name') }}, '')
                || '|' || cast(documents.fiscal_year as varchar) || '|' || documents.doc_kind
            else 'document|' || document_ids.document_id
        end as build_group,
        md5(
            {%- for column in [
                'loads.load_outcome', 'loads.load_reason', 'loads.loaded_at', 'loads.extractor_version',
                'loads.sha256', 'loads.file_name', 'documents.sha256', 'documents.department_name',
                'documents.fiscal_year', 'documents.doc_kind', 'documents.doc_scope',
                'documents.tables_found', 'documents.extracted_at', 'documents.extractor_version',
                'first_seen.first_seen_at', 'document_status.document_status',
                'document_status.status_reason', 'acceptances.accepted_at', 'retirements.retired_at',
            ] %}
            {%- if not loop.first %} || '|' ||{% endif %}
            coalesce(cast({{ column }} as varchar), '~')
            {%- endfor %}
        ) as own_key
    from document_ids
    left join documents
        on document_ids.document_id = documents.document_id
    left join loads
        on document_ids.document_id = loads.document_id
    left join document_status
        on document_ids.document_id = document_status.document_id
    left join first_seen
        on document_ids.document_id = first_seen.document_id
    left join acceptances
        on document_ids.document_id = acceptances.document_id
    left join retirements
        on document_ids.document_id = retirements.document_id

),

groups as (

    select
        build_group,
        md5(string_agg(document_id || ':' || own_key, ',' order by document_id)) as group_key
    from own
    group by build_group

)

select
    own.document_id,
    own.build_group,
    md5(own.own_key || groups.group_key) as build_key
from own
inner join groups
    on own.build_group = groups.build_group
