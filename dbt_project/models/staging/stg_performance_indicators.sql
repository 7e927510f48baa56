with source as (

    select * from {{ source('raw', 'performance_indicators') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(table_index as integer) as table_index,
        cast(row_index as integer) as row_index,
        cast(page as integer) as page,
        cast(project_name as varchar) as project_name,
        cast(amount_text as varchar) as amount_text,
        cast(amount_raw as varchar) as amount_raw,
        cast(amount_unit as varchar) as amount_unit,
        cast(goal as varchar) as goal,
        cast(level1 as varchar) as level1,
        cast(level2 as varchar) as level2,
        cast(indicator as varchar) as indicator,
        cast(operator as varchar) as operator,
        cast(target_value as varchar) as target_value,
        cast(unit as varchar) as unit

    from source

)

select * from renamed
