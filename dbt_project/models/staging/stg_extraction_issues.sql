with source as (

    select * from {{ source('raw', 'extraction_issues') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(page as integer) as page,
        cast(table_index as integer) as table_index,
        cast(row_index as integer) as row_index,
        cast(col_index as integer) as col_index,
        cast(issue_kind as varchar) as issue_kind,
        cast(raw_text as varchar) as raw_text,
        cast(message as varchar) as message

    from source

)

select * from renamed
