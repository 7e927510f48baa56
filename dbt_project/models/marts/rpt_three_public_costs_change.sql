-- The “three public costs” (“三公”经费): this year's budget against the prior year's budget printed
-- beside it, per department, year, document kind and category, plus a `total` row (三公经费合计).
-- A category printed as blank or 0 counts 0 (the fact table stores only non-zero amounts).  The
-- amounts are int_three_public_cost_totals' (the department-level document of each department,
-- year and kind; incremental by report group); the category names are joined here.

with by_category as (

    select * from {{ ref('int_three_public_cost_totals') }}

),

with_total as (

    select
        department_key, fiscal_year, doc_kind, category,
        coalesce(current_yuan, 0) as current_yuan,
        coalesce(prior_yuan, 0) as prior_yuan,
        documents
    from by_category

    union all

    select
        department_key, fiscal_year, doc_kind, 'total' as category,
        coalesce(sum(current_yuan), 0) as current_yuan,
        coalesce(sum(prior_yuan), 0) as prior_yuan,
        max(documents) as documents
    from by_category
    group by department_key, fiscal_year, doc_kind

)

select
    cast(w.department_key as varchar) as department_key,
    cast(dep.department_name as varchar) as department_name,
    cast(w.fiscal_year as integer) as fiscal_year,
    cast(w.doc_kind as varchar) as doc_kind,
    cast(w.category as varchar) as category,
    cast(coalesce(c.category_name, '“三公”经费合计') as varchar) as category_name,
    cast(w.current_yuan as decimal(20, 2)) as current_budget_yuan,
    cast(w.prior_yuan as decimal(20, 2)) as prior_budget_yuan,
    cast(w.current_yuan - w.prior_yuan as decimal(20, 2)) as change_yuan,
    {{ exact_percent('cast(w.current_yuan - w.prior_yuan as decimal(20, 2))', 'cast(w.prior_yuan as decimal(20, 2))') }}
        as change_pct,
    cast(w.documents as integer) as documents
from with_total as w
inner join {{ ref('dim_department') }} as dep
    on dep.department_key = w.department_key
left join {{ ref('dim_three_public_category') }} as c
    on c.category = w.category
