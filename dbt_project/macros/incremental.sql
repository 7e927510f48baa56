{#- Incremental by document (issue 16).  The models from staging to the facts are
    `incremental` tables keyed by document_id: a build processes the documents of
    int_changed_documents only (new, changed, superseded, accepted, retired, vanished, or in
    a group with such a document), deletes their rows first (delete_changed_documents, the
    folders' pre-hook) and appends what they give now.  `dbt build --full-refresh` (and a
    table that does not exist yet) rebuilds from everything.  -#}

{#- The rows of a model's query that belong to the changed documents: wraps the whole query
    (`{% call changed_documents_only() %} … {% endcall %}`), so the result is right whatever
    the query reads; the heavy inputs are filtered as well (changed_rows). -#}
{% macro changed_documents_only(column='document_id') -%}
    {%- set changed = changed_documents_relation() -%}
    {%- if changed is not none and is_incremental() -%}
select * from (
{{ caller() }}
) as model_rows
where {{ column }} in (select document_id from {{ changed }})
    {%- elif changed is not none -%}
{#- A full build writes the rows in document order: every later incremental build filters this
    table on a few documents (changed_rows, the data tests), and DuckDB skips the row groups whose
    min/max document_id cannot hold them — with the rows in load order every row group spans all
    the (hash) ids and each filter reads the whole column (240 million rows for the identity
    checks of 20 documents at 100,000). -#}
select * from (
{{ caller() }}
) as model_rows
order by {{ column }}
    {%- else -%}
{{ caller() }}
    {%- endif -%}
{%- endmacro %}

{#- One input relation, restricted to the changed documents in an incremental build
    (a subquery: the caller names it with `as`); the relation itself otherwise.  In a data test
    scoped to the changed documents (macros/test_scope.sql) too, so that every relation an
    accounting identity reads is scoped alike. -#}
{% macro changed_rows(name, column='document_id') -%}
    {%- set relation = ref(name) -%}
    {%- set changed = changed_documents_relation() -%}
    {%- if changed is not none and (is_incremental() or in_scoped_test()) -%}
(select * from {{ relation }} where {{ column }} in (select document_id from {{ changed }}))
    {%- else -%}
{{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of every model (dbt_project.yml): in an incremental build, delete the rows of
    every changed document, so a document that lost rows (or its admission) loses them here
    too; nothing in a full build or for a table model. -#}
{% macro delete_changed_documents(column='document_id') -%}
    {%- if is_incremental() and config.get('incremental_by') == 'report_group' -%}
delete from {{ this }} as report_rows where {{ in_changed_report_group('report_rows') }}
    {%- elif is_incremental() -%}
delete from {{ this }} where {{ column }} in (select document_id from {{ ref('int_changed_documents') }})
    {%- endif -%}
{%- endmacro %}

{#- Incremental by report group (department × fiscal year × kind, the grain of the rpt_*
    reports): a model configured `incremental_by='report_group'` keeps one set of rows per group
    and recomputes the groups of int_changed_report_groups (its pre-hook deletes their rows).
    The condition on `alias` (its department_key, fiscal_year, doc_kind) that keeps the changed
    groups' rows in an incremental build; always true otherwise.  Called unconditionally so that
    dbt records the dependency when it parses the model. -#}
{% macro in_changed_report_group(alias) -%}
    {%- set groups = changed_report_groups_relation() -%}
    {%- if groups is not none and is_incremental() -%}
exists (
    select 1 from {{ groups }} as changed_groups
    where changed_groups.department_key = {{ alias }}.department_key
        and changed_groups.fiscal_year = {{ alias }}.fiscal_year
        and changed_groups.doc_kind is not distinct from {{ alias }}.doc_kind
)
    {%- else -%}
true
    {%- endif -%}
{%- endmacro %}

{#- The documents a model incremental by report group sums: the department-level admitted
    document of each department, year and kind (never a 单位 inside its 部门's total), of the
    changed groups in an incremental build, of all groups otherwise. -#}
{% macro report_group_documents() -%}
select document_id, department_key, fiscal_year, doc_kind
from {{ ref('int_documents_admitted') }} as documents
where is_department_level
    and {{ in_changed_report_group('documents') }}
{%- endmacro %}

{#- ref('int_changed_report_groups') likewise (none in a dbt unit test). -#}
{% macro changed_report_groups_relation() -%}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(ref('int_changed_report_groups')) }}
{%- endmacro %}

{#- ref('int_changed_documents'), called unconditionally so that dbt records the dependency when
    it parses the model; not in a dbt unit test (its `given` inputs are the model's data, and a
    unit test never builds incrementally). -#}
{% macro changed_documents_relation() -%}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(ref('int_changed_documents')) }}
{%- endmacro %}
