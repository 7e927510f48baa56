-- Every accounting identity evaluated on every document: one row per check
-- (a printed total against its parts, a figure against another table's),
-- passed or not.  The union of the identity macros (macros/identities/,
-- listed in identity_catalog) with their passing rows kept; the failing ones
-- are audit.identity_findings.  Shows what was checked for a document, not
-- only what broke.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with checks as (

    {%- for entry in identity_catalog() %}
    select * from (
        {{ identity_failures(entry.name, include_passing=true) }}
    ) as {{ entry.name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select
    document_id,
    identity,
    table_kind,
    item,
    expected_yuan,
    actual_yuan,
    difference_yuan,
    tolerance_yuan,
    page,
    severity,
    is_within_tolerance
from checks

{% endcall %}
