with source as (

    select * from {{ source('raw', 'cells') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(table_index as integer) as table_index,
        cast(page as integer) as page,
        cast(page_table_index as integer) as page_table_index,
        cast(source_row as integer) as source_row,
        cast(source_col as integer) as source_col,
        cast(row_index as integer) as row_index,
        cast(col_index as integer) as col_index,
        cast(is_header as boolean) as is_header,
        cast(raw_text as varchar) as raw_text,
        cast(text as varchar) as cell_text

    from source

)

select * from renamed
