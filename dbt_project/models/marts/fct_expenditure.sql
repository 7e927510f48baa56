-- Spending by functional classification: one row per admitted document ×
-- leaf functional code × fund scope × expenditure type, for every printed,
-- non-zero amount.  Parent codes and the 合计 row are not stored: roll up
-- through dim_functional_classification.  A table that prints only one
-- amount column (Jiangsu's 财政拨款支出预算表 / 一般公共预算支出预算表: 金额)
-- gives expenditure_type `total` (not split by kind).
-- The candidates of every document are int_expenditure_facts; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year.

with facts as (

    select * from {{ ref('int_expenditure_facts') }}

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
        facts.functional_code,
        facts.fund_scope,
        facts.expenditure_type,
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
    cast(functional_code as varchar) as functional_code,
    cast(fund_scope as varchar) as fund_scope,
    cast(expenditure_type as varchar) as expenditure_type,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(item_name as varchar) as item_name,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page
from final
