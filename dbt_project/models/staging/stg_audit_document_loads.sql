with source as (

    select * from {{ source('audit', 'document_loads') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(file_name as varchar) as file_name,
        cast(sha256 as varchar) as sha256,
        cast(outcome as varchar) as load_outcome,
        cast(reason as varchar) as load_reason,
        cast(department_name as varchar) as department_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(doc_kind as varchar) as doc_kind,
        cast(pages as integer) as page_count,
        cast(tables_found as integer) as tables_found,
        cast(loaded_at as timestamp) as loaded_at,
        cast(extractor_version as varchar) as extractor_version

    from source

)

select * from renamed
