with source as (

    select * from {{ source('audit', 'files') }}

),

renamed as (

    select
        cast(file_name as varchar) as file_name,
        cast(sha256 as varchar) as sha256,
        cast(document_id as varchar) as document_id,
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_seen_at as timestamp) as last_seen_at

    from source

)

select * from renamed
