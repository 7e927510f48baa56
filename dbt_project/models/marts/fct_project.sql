-- Projects of the performance-target tables (项目支出绩效目标表): one row
-- per admitted document × project, with the amount printed for it (批复数,
-- converted to 元 from the table's unit) and its performance goal.

with projects as (

    select * from {{ ref('int_performance_projects') }}

),

documents as (

    select * from {{ ref('int_documents_admitted') }}

),

final as (

    select
        projects.document_id,
        documents.department_key,
        documents.fiscal_year,
        documents.doc_scope,
        projects.project_name,
        projects.amount_yuan,
        projects.goal,
        projects.project_order,
        projects.indicator_count,
        projects.table_index,
        projects.row_index,
        projects.page
    from projects
    inner join documents
        on projects.document_id = documents.document_id

)

select
    cast(document_id as varchar) as document_id,
    cast(department_key as varchar) as department_key,
    cast(fiscal_year as integer) as fiscal_year,
    cast(doc_scope as varchar) as doc_scope,
    cast(project_name as varchar) as project_name,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(goal as varchar) as goal,
    cast(project_order as integer) as project_order,
    cast(indicator_count as integer) as indicator_count,
    cast(table_index as integer) as table_index,
    cast(row_index as integer) as row_index,
    cast(page as integer) as page
from final
