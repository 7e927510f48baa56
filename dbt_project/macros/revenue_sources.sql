{#- The revenue-source vocabulary (docs/raw_contract.md, dim_revenue_source),
    for the models and identities that read sources. -#}

{#- Revenue sources of this year (本年收入), and the three appropriations
    that together make 财政拨款收入 (fiscal_appropriation). -#}
{% macro current_revenue_sources() %}
    {{ return(['general_budget', 'government_fund', 'state_capital', 'fiscal_appropriation',
               'fiscal_special_account', 'business', 'business_operation', 'superior_subsidy',
               'subsidiary_remittance', 'other']) }}
{% endmacro %}

{% macro appropriation_parts() %}
    {{ return(['general_budget', 'government_fund', 'state_capital']) }}
{% endmacro %}

{% macro sql_list(values) -%}
    ('{{ values | join("', '") }}')
{%- endmacro %}
