-- Basic spending (基本支出) by economic class (支出经济分类 类) per department, fiscal year, document
-- kind and fund scope, personnel (人员经费) vs public (公用经费) costs, summed over the
-- department-level document of each department, year and kind: the amounts of
-- rpt_basic_cost_structure, without the names.  Incremental by report group: a build recomputes
-- the groups of int_changed_report_groups only.

{{ config(materialized='incremental', incremental_by='report_group') }}

with documents as (

    {{ report_group_documents() }}

),

costs as (

    select
        documents.department_key,
        documents.fiscal_year,
        documents.doc_kind,
        facts.document_id,
        facts.fund_scope,
        facts.cost_type,
        facts.amount_yuan,
        {{ class_code('facts.economic_code') }} as class_code
    from {{ ref('int_basic_expenditure_facts') }} as facts
    inner join documents
        on facts.document_id = documents.document_id

),

by_class as (

    select
        department_key,
        fiscal_year,
        doc_kind,
        fund_scope,
        coalesce(class_code, 'unknown') as economic_class_code,
        sum(amount_yuan) filter (where cost_type = 'personnel') as personnel_yuan,
        sum(amount_yuan) filter (where cost_type = 'public') as public_yuan,
        sum(amount_yuan) as total_yuan,
        count(distinct document_id) as documents
    from costs
    group by department_key, fiscal_year, doc_kind, fund_scope, coalesce(class_code, 'unknown')

)

select
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_kind as varchar) as doc_kind,
    cast(fund_scope as varchar) as fund_scope,
    cast(economic_class_code as varchar) as economic_class_code,
    cast(personnel_yuan as decimal(20, 2)) as personnel_yuan,
    cast(public_yuan as decimal(20, 2)) as public_yuan,
    cast(total_yuan as decimal(20, 2)) as total_yuan,
    cast(
        sum(total_yuan) over (partition by department_key, fiscal_year, doc_kind, fund_scope)
        as decimal(20, 2)
    ) as basic_total_yuan,
    cast(documents as integer) as documents
from by_class
