{#-
    The accounting identities, each implemented once as a macro that
    returns the failing rows in one shape:

        document_id, identity, table_kind, item, expected_yuan, actual_yuan,
        difference_yuan (= actual − expected), tolerance_yuan, page, severity

    expected is the printed total or the figure of the reference table,
    actual the sum of the parts or the figure of the table checked against
    it.  A row is returned when |actual − expected| > tolerance, the
    tolerance being half a unit of the last printed digit of every figure
    involved (int_line_items.half_unit_yuan; blank lines of long lists count
    nothing: nothing printed, nothing rounded).

    The macros are used twice: by the generic test `accounting_identity`
    (tests/generic/, one test per identity on the intermediate model it
    reads, so each shows as a Dagster asset check) and by the model
    audit.identity_findings, which unions them over every document.

    Severity (DESIGN.md): identities inside one table are `error` (a break
    most likely means a misread number: the document is quarantined);
    identities across tables are `warn` (publishers get those wrong for real).
-#}

{% macro identity_catalog() %}
    {{ return([
        {'name': 'expenditure_row_total', 'severity': 'error', 'model': 'int_expenditure_rows'},
        {'name': 'expenditure_basic_split', 'severity': 'error', 'model': 'int_expenditure_rows'},
        {'name': 'basic_row_total', 'severity': 'error', 'model': 'int_basic_expenditure_rows'},
        {'name': 'parent_equals_children', 'severity': 'error', 'model': 'int_classification_rollups'},
        {'name': 'summary_revenue_balance', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_expenditure_balance', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_grand_totals', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_revenue_sources', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_carryover_parts', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_appropriation_parts', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_functional_classes', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_expenditure_uses', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'summary_fund_columns', 'severity': 'error', 'model': 'int_summary_lines'},
        {'name': 'revenue_row_total', 'severity': 'error', 'model': 'int_revenue_cells'},
        {'name': 'revenue_column_total', 'severity': 'error', 'model': 'int_revenue_cells'},
        {'name': 'three_public_total', 'severity': 'error', 'model': 'int_three_public_costs'},
        {'name': 'three_public_vehicles', 'severity': 'error', 'model': 'int_three_public_costs'},
        {'name': 'three_public_grand_total', 'severity': 'error', 'model': 'int_three_public_costs'},
        {'name': 'summary_classes_vs_expenditure', 'severity': 'warn', 'model': 'int_summary_lines'},
        {'name': 'summary_sources_vs_revenue', 'severity': 'warn', 'model': 'int_summary_lines'},
        {'name': 'appropriation_vs_general_budget', 'severity': 'warn', 'model': 'int_summary_lines'},
        {'name': 'revenue_vs_appropriation', 'severity': 'warn', 'model': 'int_revenue_cells'},
        {'name': 'general_budget_basic_vs_economic', 'severity': 'warn', 'model': 'int_expenditure_rows'},
        {'name': 'general_budget_project_vs_performance', 'severity': 'warn', 'model': 'int_expenditure_rows'},
        {'name': 'three_public_vs_economic', 'severity': 'warn', 'model': 'int_three_public_costs'},
        {'name': 'economic_cost_type_split', 'severity': 'warn', 'model': 'int_basic_expenditure_rows'},
        {'name': 'narrative_share', 'severity': 'warn', 'model': 'int_narrative_mentions'},
        {'name': 'narrative_change', 'severity': 'warn', 'model': 'int_narrative_mentions'},
        {'name': 'narrative_vs_tables', 'severity': 'warn', 'model': 'int_narrative_mentions'},
    ]) }}
{% endmacro %}


{#- Severity of an identity from the catalog. -#}
{% macro identity_severity(identity) -%}
    {%- for entry in identity_catalog() if entry.name == identity -%}
        {{- entry.severity -}}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown accounting identity: " ~ identity) }}
    {%- endfor -%}
{%- endmacro %}


{#- The failing rows of one identity; `model` is the relation the identity
    reads first (default: the catalog's model), for the generic test.  The
    macros are called by name below (not looked up dynamically) so that dbt
    sees them as dependencies of the generic test. -#}
{% macro identity_failures(identity, model=none, include_passing=false) %}
    {%- set entries = identity_catalog() | selectattr('name', 'equalto', identity) | list -%}
    {%- if entries | length == 0 -%}
        {{ exceptions.raise_compiler_error("unknown accounting identity: " ~ identity) }}
    {%- endif -%}
    {%- set relation = model if model is not none else changed_rows(entries[0].model) -%}
    {%- if identity == 'expenditure_row_total' %}{{ identity_expenditure_row_total(relation, include_passing) }}
    {%- elif identity == 'expenditure_basic_split' %}{{ identity_expenditure_basic_split(relation, include_passing) }}
    {%- elif identity == 'basic_row_total' %}{{ identity_basic_row_total(relation, include_passing) }}
    {%- elif identity == 'parent_equals_children' %}{{ identity_parent_equals_children(relation, include_passing) }}
    {%- elif identity == 'summary_revenue_balance' %}{{ identity_summary_revenue_balance(relation, include_passing) }}
    {%- elif identity == 'summary_expenditure_balance' %}{{ identity_summary_expenditure_balance(relation, include_passing) }}
    {%- elif identity == 'summary_grand_totals' %}{{ identity_summary_grand_totals(relation, include_passing) }}
    {%- elif identity == 'summary_revenue_sources' %}{{ identity_summary_revenue_sources(relation, include_passing) }}
    {%- elif identity == 'summary_carryover_parts' %}{{ identity_summary_carryover_parts(relation, include_passing) }}
    {%- elif identity == 'summary_appropriation_parts' %}{{ identity_summary_appropriation_parts(relation, include_passing) }}
    {%- elif identity == 'summary_functional_classes' %}{{ identity_summary_functional_classes(relation, include_passing) }}
    {%- elif identity == 'summary_expenditure_uses' %}{{ identity_summary_expenditure_uses(relation, include_passing) }}
    {%- elif identity == 'summary_fund_columns' %}{{ identity_summary_fund_columns(relation, include_passing) }}
    {%- elif identity == 'revenue_row_total' %}{{ identity_revenue_row_total(relation, include_passing) }}
    {%- elif identity == 'revenue_column_total' %}{{ identity_revenue_column_total(relation, include_passing) }}
    {%- elif identity == 'three_public_total' %}{{ identity_three_public_total(relation, include_passing) }}
    {%- elif identity == 'three_public_vehicles' %}{{ identity_three_public_vehicles(relation, include_passing) }}
    {%- elif identity == 'three_public_grand_total' %}{{ identity_three_public_grand_total(relation, include_passing) }}
    {%- elif identity == 'summary_classes_vs_expenditure' %}{{ identity_summary_classes_vs_expenditure(relation, include_passing) }}
    {%- elif identity == 'summary_sources_vs_revenue' %}{{ identity_summary_sources_vs_revenue(relation, include_passing) }}
    {%- elif identity == 'appropriation_vs_general_budget' %}{{ identity_appropriation_vs_general_budget(relation, include_passing) }}
    {%- elif identity == 'revenue_vs_appropriation' %}{{ identity_revenue_vs_appropriation(relation, include_passing) }}
    {%- elif identity == 'general_budget_basic_vs_economic' %}{{ identity_general_budget_basic_vs_economic(relation, include_passing) }}
    {%- elif identity == 'general_budget_project_vs_performance' %}{{ identity_general_budget_project_vs_performance(relation, include_passing) }}
    {%- elif identity == 'three_public_vs_economic' %}{{ identity_three_public_vs_economic(relation, include_passing) }}
    {%- elif identity == 'economic_cost_type_split' %}{{ identity_economic_cost_type_split(relation, include_passing) }}
    {%- elif identity == 'narrative_share' %}{{ identity_narrative_share(relation, include_passing) }}
    {%- elif identity == 'narrative_change' %}{{ identity_narrative_change(relation, include_passing) }}
    {%- elif identity == 'narrative_vs_tables' %}{{ identity_narrative_vs_tables(relation, include_passing) }}
    {%- else %}{{ exceptions.raise_compiler_error("no macro for identity " ~ identity) }}
    {%- endif %}
{% endmacro %}


{#- The standard output of an identity macro, from a CTE `checked` with
    document_id, table_kind, item, expected_yuan, actual_yuan,
    tolerance_yuan and page: the rows outside the tolerance, or every
    evaluated row with its outcome (is_within_tolerance) with
    include_passing (int_identity_checks). -#}
{% macro identity_output(identity, checked='checked', include_passing=false) %}
    select
        cast({{ checked }}.document_id as varchar) as document_id,
        cast('{{ identity }}' as varchar) as identity,
        cast({{ checked }}.table_kind as varchar) as table_kind,
        cast({{ checked }}.item as varchar) as item,
        cast({{ checked }}.expected_yuan as decimal(20, 2)) as expected_yuan,
        cast({{ checked }}.actual_yuan as decimal(20, 2)) as actual_yuan,
        cast({{ checked }}.actual_yuan - {{ checked }}.expected_yuan as decimal(20, 2)) as difference_yuan,
        cast({{ checked }}.tolerance_yuan as decimal(20, 4)) as tolerance_yuan,
        cast({{ checked }}.page as integer) as page,
        cast('{{ identity_severity(identity) }}' as varchar) as severity
        {%- if include_passing %},
        abs({{ checked }}.actual_yuan - {{ checked }}.expected_yuan) <= {{ checked }}.tolerance_yuan
            as is_within_tolerance
        {%- endif %}
    from {{ checked }}
    {%- if not include_passing %}
    where abs({{ checked }}.actual_yuan - {{ checked }}.expected_yuan) > {{ checked }}.tolerance_yuan
    {%- endif %}
{% endmacro %}


{#- "code name" for an item label; the name alone when there is no code. -#}
{% macro item_label(code, name) -%}
    trim(coalesce({{ code }}, '') || ' ' || coalesce({{ name }}, ''))
{%- endmacro %}


{#- Half unit of a figure that counts only when printed (blank lines of a
    long list are not rounded figures). -#}
{% macro printed_half_unit(amount_text, half_unit) -%}
    case when {{ amount_text }} is not null then {{ half_unit }} else 0 end
{%- endmacro %}
