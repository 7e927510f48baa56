-- The build keys (int_document_build_keys) of the last complete build: written at the end of
-- the build, after every incremental model (the depends_on lines below), so a build that
-- stops halfway records nothing and the next one processes the same documents again.
-- int_changed_documents reads it by name at the start of the next build.  code_fingerprint: the
-- dbt project's files the build ran ($BUDGET_CODE_FINGERPRINT, set by `budget-etl run`,
-- store/fingerprints.py; read while executing only, so no parse depends on it): when they
-- changed, the run builds with --full-refresh.
-- depends_on: {{ ref('int_line_items') }}
-- depends_on: {{ ref('int_expenditure_rows') }}
-- depends_on: {{ ref('int_basic_expenditure_rows') }}
-- depends_on: {{ ref('int_coded_tables') }}
-- depends_on: {{ ref('int_classification_rollups') }}
-- depends_on: {{ ref('int_summary_lines') }}
-- depends_on: {{ ref('int_revenue_cells') }}
-- depends_on: {{ ref('int_three_public_costs') }}
-- depends_on: {{ ref('int_three_public_cost_facts') }}
-- depends_on: {{ ref('int_performance_projects') }}
-- depends_on: {{ ref('int_narrative_mentions') }}
-- depends_on: {{ ref('int_structural_findings') }}
-- depends_on: {{ ref('int_fact_key_findings') }}
-- depends_on: {{ ref('int_identity_checks') }}
-- depends_on: {{ ref('int_expenditure_facts') }}
-- depends_on: {{ ref('int_basic_expenditure_facts') }}
-- depends_on: {{ ref('identity_findings') }}
-- depends_on: {{ ref('fct_expenditure') }}
-- depends_on: {{ ref('fct_basic_expenditure') }}
-- depends_on: {{ ref('fct_project') }}
-- depends_on: {{ ref('fct_three_public_costs') }}
-- depends_on: {{ ref('fct_revenue') }}
-- depends_on: {{ ref('fct_performance_indicator') }}
-- depends_on: {{ ref('int_function_class_spending') }}
-- depends_on: {{ ref('int_economic_class_costs') }}
-- depends_on: {{ ref('int_three_public_cost_totals') }}
-- depends_on: {{ ref('int_classification_printings') }}

select
    keys.document_id,
    keys.build_group,
    keys.build_key,
    cast('{{ env_var("BUDGET_CODE_FINGERPRINT", "") if execute else "" }}' as varchar) as code_fingerprint,
    -- the department-level report group of an admitted document (int_changed_report_groups)
    documents.department_key as report_department_key,
    documents.fiscal_year as report_fiscal_year,
    documents.doc_kind as report_doc_kind
from {{ ref('int_document_build_keys') }} as keys
left join {{ ref('int_documents_admitted') }} as documents
    on keys.document_id = documents.document_id
