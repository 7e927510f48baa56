-- Spending by functional class (支出功能分类 类) per department, year and document kind, with the
-- basic / project split.  Rolled up from fct_expenditure's leaf rows through
-- dim_functional_classification (项 → 款 → 类).

with spending as (

    select
        e.document_id,
        e.department_key,
        e.fiscal_year,
        e.fund_scope,
        e.expenditure_type,
        e.amount_yuan,
        case f.level
            when 3 then p.parent_code
            when 2 then f.parent_code
            else f.functional_code
        end as class_code
    from {{ ref('fct_expenditure') }} as e
    inner join {{ ref('dim_functional_classification') }} as f
        on f.functional_code = e.functional_code
    left join {{ ref('dim_functional_classification') }} as p
        on p.functional_code = f.parent_code

),

by_class as (

    select
        s.department_key,
        s.fiscal_year,
        d.doc_kind,
        s.fund_scope,
        coalesce(s.class_code, 'unknown') as functional_class_code,
        sum(s.amount_yuan) filter (where s.expenditure_type = 'basic') as basic_yuan,
        sum(s.amount_yuan) filter (where s.expenditure_type = 'project') as project_yuan,
        sum(s.amount_yuan) filter (where s.expenditure_type not in ('basic', 'project')) as other_yuan,
        sum(s.amount_yuan) as total_yuan,
        count(distinct s.document_id) as documents
    from spending as s
    inner join {{ ref('dim_document') }} as d
        on d.document_id = s.document_id
        -- one document per department, year and kind: never a 单位 inside its 部门's total
        and d.is_department_level
    group by s.department_key, s.fiscal_year, d.doc_kind, s.fund_scope, coalesce(s.class_code, 'unknown')

)

select
    cast(b.department_key as varchar) as department_key,
    cast(dep.department_name as varchar) as department_name,
    cast(b.fiscal_year as integer) as fiscal_year,
    cast(b.doc_kind as varchar) as doc_kind,
    cast(b.fund_scope as varchar) as fund_scope,
    cast(b.functional_class_code as varchar) as functional_class_code,
    cast(c.functional_name as varchar) as functional_class_name,
    cast(coalesce(b.basic_yuan, 0) as decimal(20, 2)) as basic_yuan,
    cast(coalesce(b.project_yuan, 0) as decimal(20, 2)) as project_yuan,
    cast(coalesce(b.other_yuan, 0) as decimal(20, 2)) as other_yuan,
    cast(b.total_yuan as decimal(20, 2)) as total_yuan,
    {{ exact_percent('coalesce(b.project_yuan, 0)', 'b.total_yuan') }} as project_share_pct,
    cast(b.documents as integer) as documents
from by_class as b
inner join {{ ref('dim_department') }} as dep
    on dep.department_key = b.department_key
left join {{ ref('dim_functional_classification') }} as c
    on c.functional_code = b.functional_class_code
