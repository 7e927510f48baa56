-- Basic spending (基本支出) by economic class (支出经济分类 类): personnel (人员经费) vs public
-- (公用经费) costs per department, year and document kind.  Rolled up from fct_basic_expenditure's
-- leaf rows through dim_economic_classification (款 → 类).

with costs as (

    select
        b.document_id,
        b.department_key,
        b.fiscal_year,
        b.fund_scope,
        b.cost_type,
        b.amount_yuan,
        case when e.level = 2 then e.parent_code else e.economic_code end as class_code
    from {{ ref('fct_basic_expenditure') }} as b
    inner join {{ ref('dim_economic_classification') }} as e
        on e.economic_code = b.economic_code

),

by_class as (

    select
        c.department_key,
        c.fiscal_year,
        d.doc_kind,
        c.fund_scope,
        coalesce(c.class_code, 'unknown') as economic_class_code,
        sum(c.amount_yuan) filter (where c.cost_type = 'personnel') as personnel_yuan,
        sum(c.amount_yuan) filter (where c.cost_type = 'public') as public_yuan,
        sum(c.amount_yuan) as total_yuan,
        count(distinct c.document_id) as documents
    from costs as c
    inner join {{ ref('dim_document') }} as d
        on d.document_id = c.document_id
        -- one document per department, year and kind: never a 单位 inside its 部门's total
        and d.is_department_level
    group by c.department_key, c.fiscal_year, d.doc_kind, c.fund_scope, coalesce(c.class_code, 'unknown')

),

with_share as (

    select
        *,
        sum(total_yuan) over (
            partition by department_key, fiscal_year, doc_kind, fund_scope
        ) as basic_total_yuan
    from by_class

)

select
    cast(w.department_key as varchar) as department_key,
    cast(dep.department_name as varchar) as department_name,
    cast(w.fiscal_year as integer) as fiscal_year,
    cast(w.doc_kind as varchar) as doc_kind,
    cast(w.fund_scope as varchar) as fund_scope,
    cast(w.economic_class_code as varchar) as economic_class_code,
    cast(e.economic_name as varchar) as economic_class_name,
    cast(coalesce(w.personnel_yuan, 0) as decimal(20, 2)) as personnel_yuan,
    cast(coalesce(w.public_yuan, 0) as decimal(20, 2)) as public_yuan,
    cast(w.total_yuan as decimal(20, 2)) as total_yuan,
    {{ exact_percent('w.total_yuan', 'cast(w.basic_total_yuan as decimal(20, 2))') }} as share_of_basic_pct,
    cast(w.documents as integer) as documents
from with_share as w
inner join {{ ref('dim_department') }} as dep
    on dep.department_key = w.department_key
left join {{ ref('dim_economic_classification') }} as e
    on e.economic_code = w.economic_class_code
