-- Basic spending (基本支出) by economic class (支出经济分类 类): personnel (人员经费) vs public
-- (公用经费) costs per department, year and document kind.  The amounts are
-- int_economic_class_costs' (fct_basic_expenditure's leaf rows rolled up 细目 → 款 → 类, the
-- department-level document of each department, year and kind; incremental by report group); the
-- names are joined here, from every admitted document.

select
    cast(c.department_key as varchar) as department_key,
    cast(dep.department_name as varchar) as department_name,
    cast(c.fiscal_year as integer) as fiscal_year,
    cast(c.doc_kind as varchar) as doc_kind,
    cast(c.fund_scope as varchar) as fund_scope,
    cast(c.economic_class_code as varchar) as economic_class_code,
    cast(e.economic_name as varchar) as economic_class_name,
    cast(coalesce(c.personnel_yuan, 0) as decimal(20, 2)) as personnel_yuan,
    cast(coalesce(c.public_yuan, 0) as decimal(20, 2)) as public_yuan,
    cast(c.total_yuan as decimal(20, 2)) as total_yuan,
    {{ exact_percent('c.total_yuan', 'c.basic_total_yuan') }} as share_of_basic_pct,
    cast(c.documents as integer) as documents
from {{ ref('int_economic_class_costs') }} as c
inner join {{ ref('dim_department') }} as dep
    on dep.department_key = c.department_key
left join {{ ref('dim_economic_classification') }} as e
    on e.economic_code = c.economic_class_code
