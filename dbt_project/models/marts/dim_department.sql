-- One row per department (部门), keyed by the md5 of its whitespace-free
-- name, plus the explicit unknown member for documents without one.

with documents as (

    select * from {{ ref('int_documents_admitted') }}
    where department_name is not null

),

ranked as (

    -- region: the most recent document that states one
    select
        department_key,
        department_name,
        region,
        row_number() over (
            partition by department_key
            order by
                case when region is null then 1 else 0 end,
                fiscal_year desc,
                extracted_at desc,
                document_id
        ) as recency_rank
    from documents

),

departments as (

    select
        department_key,
        department_name,
        region
    from ranked
    where recency_rank = 1

),

unknown_member as (

    select
        'unknown' as department_key,
        '未知部门 (unknown department)' as department_name,
        cast(null as varchar) as region

),

final as (

    select * from departments
    union all
    select * from unknown_member

)

select
    cast(department_key as varchar) as department_key,
    cast(department_name as varchar) as department_name,
    cast(region as varchar) as region
from final
