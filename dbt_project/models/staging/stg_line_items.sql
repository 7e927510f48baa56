with source as (

    select * from {{ source('raw', 'line_items') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(table_index as integer) as table_index,
        cast(table_kind as varchar) as table_kind,
        cast(row_index as integer) as row_index,
        cast(col_index as integer) as col_index,
        cast(page as integer) as page,
        cast(row_role as varchar) as row_role,
        cast(item_code as varchar) as item_code,
        cast(item_name as varchar) as item_name,
        cast(item_key as varchar) as item_key,
        cast(column_key as varchar) as column_key,
        cast(amount_text as varchar) as amount_text,
        cast(is_blank as boolean) as is_blank,
        cast(raw_text as varchar) as raw_text,
        cast(unit as varchar) as unit,
        cast(other_codes as varchar) as other_codes

    from source

)

select * from renamed
