with source as (

    select * from {{ source('raw', 'narrative_mentions') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(page as integer) as page,
        cast(sentence_index as integer) as sentence_index,
        cast(subject as varchar) as subject,
        cast(amount_text as varchar) as amount_text,
        cast(unit as varchar) as unit,
        cast(base_amount_text as varchar) as base_amount_text,
        cast(base_unit as varchar) as base_unit,
        cast(share_pct as varchar) as share_pct,
        cast(change_direction as varchar) as change_direction,
        cast(change_amount_text as varchar) as change_amount_text,
        cast(change_unit as varchar) as change_unit,
        cast(change_pct as varchar) as change_pct,
        cast(sentence as varchar) as sentence

    from source

)

select * from renamed
