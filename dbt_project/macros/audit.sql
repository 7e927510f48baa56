{#- Predicate keeping the rows of documents that pass the structural checks
    (int_structural_findings): the gate every model reading extracted cells
    as numbers puts on its staging input. -#}
{% macro passes_structural_checks(document_id='document_id') -%}
    {{ document_id }} not in (select document_id from {{ ref('int_structural_findings') }})
{%- endmacro %}
