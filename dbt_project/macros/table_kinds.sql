{#- The spending tables and their part columns (docs/raw_contract.md), for the models that read
    them: int_*_rows (the identities) and fct_* (the facts) must agree on both. -#}

{#- Tables by functional classification (支出总表, 财政拨款支出表, 一般公共预算支出表,
    政府性基金 / 国有资本经营预算支出表). -#}
{% macro functional_table_kinds() %}
    {{ return([
        'expenditure',
        'fiscal_appropriation_expenditure',
        'general_budget_expenditure',
        'government_fund_expenditure',
        'state_capital_expenditure',
    ]) }}
{% endmacro %}

{#- Their columns by kind of spending, which add up to 合计. -#}
{% macro functional_part_columns() %}
    {{ return(['basic', 'project', 'business_operation', 'to_superior', 'to_subsidiary', 'reserve']) }}
{% endmacro %}

{#- Part columns a table may print as their own parts instead (Zhejiang's 支出总表: 基本支出 over
    人员支出 | 日常公用支出 without a 小计): a part = its own column where printed, else the sum of its
    parts; where both are printed they must agree (identity expenditure_basic_split). -#}
{% macro functional_part_breakdowns() %}
    {{ return({'basic': ['personnel', 'public']}) }}
{% endmacro %}

{#- Basic-spending tables by economic classification (一般公共预算基本支出表, 财政拨款基本支出表). -#}
{% macro economic_table_kinds() %}
    {{ return(['basic_expenditure_economic', 'fiscal_basic_expenditure']) }}
{% endmacro %}

{#- Their columns by cost type, which add up to 合计. -#}
{% macro economic_part_columns() %}
    {{ return(['personnel', 'public']) }}
{% endmacro %}
