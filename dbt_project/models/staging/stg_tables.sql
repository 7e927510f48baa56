with source as (

    select * from {{ source('raw', 'tables') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(table_index as integer) as table_index,
        cast(table_kind as varchar) as table_kind,
        cast(label as varchar) as table_label,
        cast(title as varchar) as table_title,
        cast(unit as varchar) as unit,
        cast(page_first as integer) as page_first,
        cast(page_last as integer) as page_last,
        cast(n_rows as integer) as data_row_count,
        cast(n_cols as integer) as column_count,
        cast(flavor as varchar) as grid_reader

    from source

)

select * from renamed
