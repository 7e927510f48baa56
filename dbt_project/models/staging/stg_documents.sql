with source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(sha256 as varchar) as sha256,
        cast(file_name as varchar) as file_name,
        cast(department_name as varchar) as department_name,
        cast(region as varchar) as region,
        cast(fiscal_year as integer) as fiscal_year,
        cast(doc_kind as varchar) as doc_kind,
        cast(doc_scope as varchar) as doc_scope,
        cast(title as varchar) as document_title,
        cast(parent_department_name as varchar) as parent_department_name,
        cast(pages as integer) as page_count,
        cast(tables_found as integer) as tables_found,
        cast(extractor_version as varchar) as extractor_version,
        cast(extracted_at as timestamp) as extracted_at

    from source

)

select * from renamed
