-- The latest audit.documents row of every document: its current status.

with audit_rows as (

    select * from {{ ref('stg_audit_documents') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by document_id
            order by status_recorded_at desc nulls last, document_status
        ) as recency_rank
    from audit_rows

),

latest as (

    select
        document_id,
        document_status,
        status_reason,
        status_recorded_at,
        document_status in ('loaded', 'accepted') as is_admitted
    from ranked
    where recency_rank = 1

)

select * from latest
