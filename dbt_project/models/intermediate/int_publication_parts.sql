-- A publication printed as two files: its tables in one, its narrative
-- (情况说明 / 文本) in the other (Jiangsu …公开表 + …文本, Beijing …报表 +
-- …情况说明).  One row per narrative document (audit status `narrative`)
-- with the tables document of the same department, fiscal year, kind and
-- scope it belongs to: the current one (status before the identity checks
-- `loaded` or `accepted`: int_document_status);
-- NULL while that file has not arrived.  The narrative's figures are
-- checked against those tables (int_narrative_mentions).

with documents as (

    select * from {{ ref('stg_documents') }}

),

document_status as (

    select * from {{ ref('int_document_status') }}

),

narratives as (

    select documents.*
    from documents
    inner join document_status
        on documents.document_id = document_status.document_id
    where document_status.document_status = 'narrative'

),

table_documents as (

    select documents.*
    from documents
    inner join document_status
        on documents.document_id = document_status.document_id
    where coalesce(documents.tables_found, 0) > 0
        and document_status.document_status in ('loaded', 'accepted')

),

matched as (

    select
        narratives.document_id as narrative_document_id,
        narratives.file_name as narrative_file_name,
        table_documents.document_id as tables_document_id,
        table_documents.file_name as tables_file_name,
        row_number() over (
            partition by narratives.document_id
            order by table_documents.extracted_at desc, table_documents.document_id
        ) as match_rank
    from narratives
    left join table_documents
        on {{ normalize_department_name('narratives.department_name') }}
            = {{ normalize_department_name('table_documents.department_name') }}
        and narratives.fiscal_year = table_documents.fiscal_year
        and narratives.doc_kind = table_documents.doc_kind
        and narratives.doc_scope is not distinct from table_documents.doc_scope

)

select
    narrative_document_id,
    narrative_file_name,
    tables_document_id,
    tables_file_name
from matched
where match_rank = 1
