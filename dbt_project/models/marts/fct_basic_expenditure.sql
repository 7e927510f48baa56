-- Basic spending by economic classification: one row per admitted document
-- × fund scope × leaf economic code × cost type, for every printed,
-- non-zero amount.  Tables: 一般公共预算基本支出表 (table 6, fund_scope
-- general_public_budget) and Jiangsu's 财政拨款基本支出预算表
-- (fiscal_appropriation).  Where the table prints 人员经费 / 公用经费 the
-- cost type is the column; where it prints a single amount column (Jiangsu,
-- 决算) the economic 类 decides: 301, 303 (501, 509) → personnel, others →
-- public.  Leaf = the finest code printed: a 细目 (7 digits, 3021101 under
-- 30211, where a province prints them), a 款 (5 digits) printed without
-- 细目 or a 类 printed without 款; roll up through
-- dim_economic_classification.  government_economic_code: the row's code in
-- the government scheme (5xx), printed beside the department code in
-- Beijing's tables (50101-工资奖金津补贴  30101-基本工资).
-- The candidates of every document are int_basic_expenditure_facts; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year.

with facts as (

    select * from {{ ref('int_basic_expenditure_facts') }}

),

documents as (

    select * from {{ ref('int_documents_admitted') }}

),

final as (

    select
        facts.document_id,
        documents.department_key,
        documents.fiscal_year,
        documents.doc_scope,
        facts.fund_scope,
        facts.economic_code,
        facts.government_economic_code,
        facts.cost_type,
        facts.amount_yuan,
        facts.item_name,
        facts.table_index,
        facts.row_index,
        facts.col_index,
        facts.page
    from facts
    inner join documents
        on facts.document_id = documents.document_id

)

select
    cast(document_id as varchar) as document_id,
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_scope as varchar) as doc_scope,
    cast(fund_scope as varchar) as fund_scope,
    cast(economic_code as varchar) as economic_code,
    cast(government_economic_code as varchar) as government_economic_code,
    cast(cost_type as varchar) as cost_type,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(item_name as varchar) as item_name,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page
from final
