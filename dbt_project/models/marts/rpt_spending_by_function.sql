-- Spending by functional class (支出功能分类 类) per department, year and document kind, with the
-- basic / project split.  The amounts are int_function_class_spending's (fct_expenditure's leaf
-- rows rolled up 项 → 款 → 类, the department-level document of each department, year and kind;
-- incremental by report group); the names are joined here, from every admitted document.

select
    cast(s.department_key as varchar) as department_key,
    cast(dep.department_name as varchar) as department_name,
    cast(s.fiscal_year as integer) as fiscal_year,
    cast(s.doc_kind as varchar) as doc_kind,
    cast(s.fund_scope as varchar) as fund_scope,
    cast(s.functional_class_code as varchar) as functional_class_code,
    cast(c.functional_name as varchar) as functional_class_name,
    cast(coalesce(s.basic_yuan, 0) as decimal(20, 2)) as basic_yuan,
    cast(coalesce(s.project_yuan, 0) as decimal(20, 2)) as project_yuan,
    cast(coalesce(s.other_yuan, 0) as decimal(20, 2)) as other_yuan,
    cast(s.total_yuan as decimal(20, 2)) as total_yuan,
    {{ exact_percent('coalesce(s.project_yuan, 0)', 's.total_yuan') }} as project_share_pct,
    cast(s.documents as integer) as documents
from {{ ref('int_function_class_spending') }} as s
inner join {{ ref('dim_department') }} as dep
    on dep.department_key = s.department_key
left join {{ ref('dim_functional_classification') }} as c
    on c.functional_code = s.functional_class_code
