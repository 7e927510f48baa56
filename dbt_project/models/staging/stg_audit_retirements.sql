with source as (

    select * from {{ source('audit', 'retirements') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(reason as varchar) as retirement_reason,
        cast(retired_by as varchar) as retired_by,
        cast(retired_at as timestamp) as retired_at

    from source

)

select * from renamed
