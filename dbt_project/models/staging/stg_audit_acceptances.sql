with source as (

    select * from {{ source('audit', 'acceptances') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(reason as varchar) as acceptance_reason,
        cast(accepted_by as varchar) as accepted_by,
        cast(accepted_at as timestamp) as accepted_at

    from source

)

select * from renamed
