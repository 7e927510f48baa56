{#- The rows a generic data test reads (dbt's get_where_subquery, overridden here).

    A nightly build checks what it changed (issue 16): with the environment variable
    BUDGET_TEST_CHANGED_ONLY=1 (the pipeline sets it for every incremental build), a test of a
    model that has a document_id column reads the rows of
    int_changed_documents' documents only, so its cost follows the documents the build
    processed, not the warehouse (dagster_project/assets/dbt.py).  Every identity and row check is per document, so the
    documents left out passed the same checks when they were built.  A full refresh, and any
    plain `dbt build` / `dbt test`, checks every row.

    At parse time the macro calls ref('int_changed_documents'), so that dbt records it for the
    tests it renders then and runs them after this build's set exists.  The scoped subquery has
    no alias (the identity macros add theirs; DuckDB needs none). -#}
{% macro get_where_subquery(relation) -%}
    {%- if not execute -%}
        {%- do ref('int_changed_documents') -%}
        {%- do return(dbt.default__get_where_subquery(relation)) -%}
    {%- endif -%}
    {%- set changed = changed_documents_for_test() -%}
    {%- if changed is none or not scoped_tests_asked() -%}
        {%- do return(dbt.default__get_where_subquery(relation)) -%}
    {%- endif -%}
    {%- set where = config.get('where', '') -%}
    {%- set conditions = (['(' ~ where ~ ')'] if where else []) + [
        'document_id in (select document_id from ' ~ changed ~ ')'
    ] -%}
    {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ')') -%}
{%- endmacro %}


{#- int_changed_documents for the generic test being run, or none when the test may not be
    scoped: its model has no document_id column (every model's columns are in its yml), or
    this build may not have made the set yet when the test runs — dbt records the test's own
    ref only where it renders the test at parse time (not for the built-in unique / not_null),
    so otherwise the tested model must depend on it (the incremental models do). -#}
{% macro changed_documents_for_test() -%}
    {%- set changed_id = 'model.' ~ project_name ~ '.int_changed_documents' -%}
    {%- set attached = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- if attached is none or 'document_id' not in attached.get('columns', {}) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set test_parents = model.get('depends_on', {}).get('nodes', []) -%}
    {%- set model_parents = attached.get('depends_on', {}).get('nodes', []) -%}
    {%- if changed_id not in test_parents and changed_id not in model_parents -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes[changed_id] -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}


{#- Whether the node being run is a generic data test scoped to the changed documents. -#}
{% macro in_scoped_test() -%}
    {{ return(
        execute
        and model is mapping
        and model.get('resource_type') == 'test'
        and scoped_tests_asked()
        and changed_documents_for_test() is not none
    ) }}
{%- endmacro %}


{#- Whether this build asked for tests scoped to the changed documents (BUDGET_TEST_CHANGED_ONLY).
    Read while executing only: an environment variable read at parse time would make dbt re-parse
    the files that read it whenever it changes, and a dbt `--vars` switch the whole project. -#}
{% macro scoped_tests_asked() -%}
    {{ return(execute and env_var('BUDGET_TEST_CHANGED_ONLY', '') not in ('', '0')) }}
{%- endmacro %}
