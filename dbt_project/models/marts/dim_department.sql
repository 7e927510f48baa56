-- One row per department (部门) or budget unit (预算单位), keyed by the md5
-- of its normalized name (normalize_department_name: half-width brackets,
-- no whitespace, no trailing (本级)), plus the explicit unknown member for
-- documents without one.

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
        parent_department_name,
        parent_department_key,
        -- 部门 when any of its documents is a department budget (部门预算/决算)
        max(case when doc_scope = '部门' then 1 else 0 end) over (partition by department_key) as has_department_scope,
        max(case when doc_scope = '单位' then 1 else 0 end) over (partition by department_key) as has_unit_scope,
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
        region,
        parent_department_name,
        parent_department_key,
        case
            when has_department_scope = 1 then '部门'
            when has_unit_scope = 1 then '单位'
            else 'unknown'
        end as department_scope
    from ranked
    where recency_rank = 1

),

unknown_member as (

    select
        'unknown' as department_key,
        '未知部门 (unknown department)' as department_name,
        cast(null as varchar) as region,
        cast(null as varchar) as parent_department_name,
        cast(null as varchar) as parent_department_key,
        'unknown' as department_scope

),

final as (

    select * from departments
    union all
    select * from unknown_member

)

select
    cast(department_key as varchar) as department_key,
    cast(department_name as varchar) as department_name,
    cast(region as varchar) as region,
    cast(department_scope as varchar) as department_scope,
    cast(parent_department_name as varchar) as parent_department_name,
    cast(parent_department_key as varchar) as parent_department_key
from final
