-- The department-level report groups (department × fiscal year × kind, the grain the rpt_*
-- reports aggregate over) an incremental build recomputes: the groups every changed document
-- (int_changed_documents) belongs to now (int_documents_admitted) and belonged to at the last
-- complete build (int_built_document_keys' report group).  A group with no changed member
-- before or after has the same members with the same inputs, so its aggregates are unchanged.
-- On --full-refresh, or when no build (or no report group) was recorded: every group admitted now.
-- depends_on: {{ ref('int_changed_documents') }}

{%- set recorded = none -%}
{%- if execute and not should_full_refresh() -%}
    {%- set recorded = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_built_document_keys') -%}
    {%- if recorded is not none -%}
        {%- set recorded_columns = adapter.get_columns_in_relation(recorded) | map(attribute='name') | list -%}
        {%- if 'report_department_key' not in recorded_columns -%}
            {%- set recorded = none -%}
        {%- endif -%}
    {%- endif -%}
{%- endif %}

with documents as (

    select document_id, department_key, fiscal_year, doc_kind
    from {{ ref('int_documents_admitted') }}

)

{%- if recorded is none %}

select distinct department_key, fiscal_year, doc_kind
from documents

{%- else %},

changed as (

    select document_id from {{ ref('int_changed_documents') }}

)

select department_key, fiscal_year, doc_kind
from documents
where document_id in (select document_id from changed)

union

select report_department_key, report_fiscal_year, report_doc_kind
from {{ recorded }}
where report_department_key is not null
    and document_id in (select document_id from changed)

{%- endif %}
