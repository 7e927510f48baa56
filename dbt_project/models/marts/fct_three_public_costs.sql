-- The “three public costs” (“三公”经费): one row per admitted document ×
-- basis × category, for every printed, non-zero amount.  Subtotals (合计,
-- 公务用车购置及运行费) are not stored; they are checked in
-- int_three_public_costs.  column_key is `<basis>/<category>`.
-- The candidates of every document are int_three_public_cost_facts; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year.

with facts as (

    select * from {{ ref('int_three_public_cost_facts') }}

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
        facts.basis,
        facts.category,
        facts.amount_yuan,
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
    cast(basis as varchar) as basis,
    cast(category as varchar) as category,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(col_index as integer) as col_index,
    cast(page as integer) as page
from final
