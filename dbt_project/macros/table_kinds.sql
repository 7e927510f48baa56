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

{#- Spending tables the within-table identities check but the facts never read (docs/raw_contract.md,
    0.3.6): spending by economic code that is not table 6 (基本支出预算情况表, 一般公共预算支出表(按经济分类),
    项目支出 by economic code: expenditure_economic) and basic spending by functional code
    (basic_expenditure_functional).  Their money is in the facts already, from tables 3, 5 and 6, under
    the same keys (a 基本支出 by function is table 5's basic column) or over a scope that differs from
    template to template (all funds' 基本支出, 一般公共预算 with its projects): as facts they would count
    it twice.  Their columns are those of the functional tables (合计 = 基本支出 + 项目支出, 基本支出 =
    人员支出 + 日常公用支出), their codes are checked by their own scheme (int_classification_rollups). -#}
{% macro checked_only_table_kinds() %}
    {{ return(['expenditure_economic', 'basic_expenditure_functional']) }}
{% endmacro %}

{#- The tables int_expenditure_rows reads: the functional ones (facts) and the checked-only ones. -#}
{% macro spending_row_table_kinds() %}
    {{ return(functional_table_kinds() + checked_only_table_kinds()) }}
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

{#- Tables whose codes are economic (类 3, 款 5, 细目 7 digits): their 款 add up their 细目. -#}
{% macro economic_coded_table_kinds() %}
    {{ return(economic_table_kinds() + ['operating_costs', 'expenditure_economic']) }}
{% endmacro %}

{#- Every coded table int_classification_rollups checks (parent = Σ children, 合计 = Σ类). -#}
{% macro coded_table_kinds() %}
    {{ return(spending_row_table_kinds() + economic_table_kinds() + ['operating_costs', 'revenue']) }}
{% endmacro %}
