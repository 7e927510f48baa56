{#- The select list of a model with a contract: every column of its yml, in
    the yml's order, cast to the column's data_type.  The yml is then the one
    place that names and types the columns.  `default_from` is the relation
    alias the columns are read from; `columns_from` maps a column to another
    alias.  (While dbt parses, model.columns is still empty: the list is
    filled when the model is compiled.)  Not for a model with a dbt unit
    test: dbt compiles it there without the model's columns. -#}
{% macro contract_columns(default_from=none, columns_from={}) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {#- a unit test compiles the model as its own node, without the model's columns -#}
        {{ exceptions.raise_compiler_error(
            "contract_columns: " ~ model.tested_node_unique_id ~ " has a unit test, whose context "
            ~ "does not give the model's columns: write its select list out") }}
    {%- endif -%}
    {%- for column in model.columns.values() %}
        {%- set alias = columns_from.get(column.name, default_from) %}
    cast({{ alias ~ '.' if alias }}{{ column.name }} as {{ column.data_type }}) as {{ column.name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}


{#- A fact table for the analysts: the fact candidates of every document
    (`facts`, an int_*_facts model) of the documents admitted into the marts
    (int_documents_admitted), with the document's department, year and scope;
    the columns are the model's contract (contract_columns). -#}
{% macro admitted_facts(facts) %}
select
    {{- contract_columns('facts', {
        'department_key': 'documents',
        'fiscal_year': 'documents',
        'doc_scope': 'documents',
    }) }}
from {{ changed_rows(facts) }} as facts
inner join {{ ref('int_documents_admitted') }} as documents
    on facts.document_id = documents.document_id
{% endmacro %}
