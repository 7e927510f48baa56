-- audit.identity_findings: one row per failed accounting identity of every
-- document that is not rejected, superseded or retired (DESIGN.md).  The failing rows
-- of int_identity_checks, the union of the identity macros
-- (macros/identities/, one per identity, the same macros the
-- `accounting_identity` tests run), each evaluated per document with the
-- rounding tolerance of the figures involved.
--
-- audit.documents reads it: a `loaded` document with an `error` finding is
-- `quarantined` ('N identity errors, see audit.identity_findings').

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with identity_failures as (

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
        severity
    from {{ ref('int_identity_checks') }}
    where not is_within_tolerance

),

findings_without_amounts as (

    -- rows the models could not read as numbers (int_structural_findings) and
    -- fact keys printed more than once (int_fact_key_findings): no amounts to compare
    {%- for relation, table_column in [
        ('int_structural_findings', 'table_kind'),
        ('int_fact_key_findings', 'fact_table'),
    ] %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        document_id,
        identity,
        {{ table_column }} as table_kind,
        item,
        cast(null as decimal(20, 2)) as expected_yuan,
        cast(null as decimal(20, 2)) as actual_yuan,
        cast(null as decimal(20, 2)) as difference_yuan,
        cast(null as decimal(20, 4)) as tolerance_yuan,
        page,
        severity
    from {{ ref(relation) }}
    {%- endfor %}

),

findings as (

    select * from identity_failures
    union all
    select * from findings_without_amounts

),

documents as (

    select document_id from {{ changed_rows('stg_documents') }} as stg_documents

),

document_status as (

    select * from {{ ref('int_document_status') }}

),

final as (

    select
        findings.document_id,
        findings.identity,
        findings.table_kind,
        findings.item,
        findings.expected_yuan,
        findings.actual_yuan,
        findings.difference_yuan,
        findings.tolerance_yuan,
        findings.page,
        findings.severity
    from findings
    inner join documents
        on findings.document_id = documents.document_id
    left join document_status
        on findings.document_id = document_status.document_id
    where coalesce(document_status.document_status, 'loaded') not in ('rejected', 'superseded', 'retired')

)

select
    cast(document_id as varchar) as document_id,
    cast(identity as varchar) as identity,
    cast(table_kind as varchar) as {{ adapter.quote('table') }},
    cast(item as varchar) as item,
    cast(expected_yuan as decimal(20, 2)) as expected_yuan,
    cast(actual_yuan as decimal(20, 2)) as actual_yuan,
    cast(difference_yuan as decimal(20, 2)) as difference_yuan,
    cast(tolerance_yuan as decimal(20, 4)) as tolerance_yuan,
    cast(page as integer) as page,
    cast(severity as varchar) as severity
from final
order by
    document_id,
    severity,
    identity,
    {{ adapter.quote('table') }},
    item

{% endcall %}
