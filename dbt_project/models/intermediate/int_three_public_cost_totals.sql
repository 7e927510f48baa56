-- The “three public costs” (“三公”经费) per department, fiscal year, document kind and category:
-- this year's budget and the prior year's printed beside it, summed over the department-level
-- document of each department, year and kind: the amounts of rpt_three_public_costs_change, without
-- the names.  Incremental by report group: a build recomputes the groups of
-- int_changed_report_groups only.

{{ config(materialized='incremental', incremental_by='report_group') }}

with documents as (

    {{ report_group_documents() }}

)

select
    cast(documents.department_key as varchar) as department_key,
    cast(documents.fiscal_year as integer) as fiscal_year,
    cast(documents.doc_kind as varchar) as doc_kind,
    cast(facts.category as varchar) as category,
    cast(sum(facts.amount_yuan) filter (where facts.basis = 'current_budget') as decimal(20, 2)) as current_yuan,
    cast(sum(facts.amount_yuan) filter (where facts.basis = 'prior_budget') as decimal(20, 2)) as prior_yuan,
    cast(count(distinct facts.document_id) as integer) as documents
from {{ ref('int_three_public_cost_facts') }} as facts
inner join documents
    on facts.document_id = documents.document_id
where facts.basis in ('current_budget', 'prior_budget')
group by documents.department_key, documents.fiscal_year, documents.doc_kind, facts.category
