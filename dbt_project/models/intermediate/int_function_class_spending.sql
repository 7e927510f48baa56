-- Spending by functional class (支出功能分类 类) per department, fiscal year, document kind and fund
-- scope, summed over the department-level document of each department, year and kind (never a 单位
-- inside its 部门's total): the amounts of rpt_spending_by_function, without the names (a class's
-- name comes from every document, so the report joins it when it is built).  Incremental by report
-- group: a build recomputes the groups of int_changed_report_groups only.

{{ config(materialized='incremental', incremental_by='report_group') }}

with documents as (

    {{ report_group_documents() }}

),

spending as (

    select
        documents.department_key,
        documents.fiscal_year,
        documents.doc_kind,
        facts.document_id,
        facts.fund_scope,
        facts.expenditure_type,
        facts.amount_yuan,
        {{ class_code('facts.functional_code') }} as class_code
    from {{ ref('int_expenditure_facts') }} as facts
    inner join documents
        on facts.document_id = documents.document_id

)

select
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_kind as varchar) as doc_kind,
    cast(fund_scope as varchar) as fund_scope,
    cast(coalesce(class_code, 'unknown') as varchar) as functional_class_code,
    cast(sum(amount_yuan) filter (where expenditure_type = 'basic') as decimal(20, 2)) as basic_yuan,
    cast(sum(amount_yuan) filter (where expenditure_type = 'project') as decimal(20, 2)) as project_yuan,
    cast(
        sum(amount_yuan) filter (where expenditure_type not in ('basic', 'project')) as decimal(20, 2)
    ) as other_yuan,
    cast(sum(amount_yuan) as decimal(20, 2)) as total_yuan,
    cast(count(distinct document_id) as integer) as documents
from spending
group by department_key, fiscal_year, doc_kind, fund_scope, coalesce(class_code, 'unknown')
