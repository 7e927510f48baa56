{#-
    Accounting identity test: the failing rows of one identity (macro
    `identity_<name>`, macros/identities/) for the documents admitted into
    the marts as `loaded` (int_documents_admitted).

        data_tests:
          - accounting_identity:
              arguments:
                identity: expenditure_row_total    # severity: the catalog's

    Documents with identity errors are quarantined by audit.identity_findings
    before they reach the marts and accepted ones were accepted by a person,
    so an `error` test fails only when something is really wrong (an
    admitted document breaking an identity: stale findings, a model bug).
    Every finding of every document, admitted or not, is in
    audit.identity_findings.  Failing rows: document_id, identity,
    table_kind, item, expected_yuan, actual_yuan, difference_yuan,
    tolerance_yuan, page, severity.
-#}
{% test accounting_identity(model, identity) %}

{#- The severity is the catalog's (identity_catalog), never set in yml. -#}
{{ config(severity=identity_severity(identity) | trim) }}

with failing as (

    {{ identity_failures(identity, model) }}

)

select failing.*
from failing
where failing.document_id in (
    select document_id
    from {{ ref('int_documents_admitted') }}
    where document_status = 'loaded'
)

{% endtest %}
