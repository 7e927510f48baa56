{#- The revenue-source vocabulary (docs/raw_contract.md, dim_revenue_source),
    for the models and identities that read sources. -#}

{#- Revenue sources of this year (本年收入), and the three appropriations
    that together make 财政拨款收入 (fiscal_appropriation). -#}
{% macro current_revenue_sources() %}
    {{ return(['general_budget', 'government_fund', 'state_capital', 'fiscal_appropriation',
               'fiscal_special_account', 'business', 'business_operation', 'superior_subsidy',
               'subsidiary_remittance', 'other']) }}
{% endmacro %}

{#- Revenue a summary table may print between 本年收入合计 and 收入总计 (烟台's
    收支总体情况表: 上级补助收入 below 本年收入合计, beside 对附属单位补助支出 and
    上缴上级支出 on the spending side): this year's money outside 本年收入合计, part
    of 收入总计.  An appropriation printed there is a part of the carry-over
    (深圳: 上年结余、结转 / 1.财政拨款结余、结转), never an addition. -#}
{% macro revenue_additions() %}
    {{ return(['superior_subsidy', 'subsidiary_remittance', 'surplus_use']) }}
{% endmacro %}

{% macro appropriation_parts() %}
    {{ return(['general_budget', 'government_fund', 'state_capital']) }}
{% endmacro %}

{% macro sql_list(values) -%}
    ('{{ values | join("', '") }}')
{%- endmacro %}
