-- The “three public costs” (“三公”经费): one row per admitted document ×
-- basis × category, for every printed, non-zero amount.  Subtotals (合计,
-- 公务用车购置及运行费) are not stored; they are checked in
-- int_three_public_costs.  column_key is `<basis>/<category>`.
-- The candidates of every document are int_three_public_cost_facts; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year, the columns of fct_three_public_costs.yml (macro admitted_facts).

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{{ admitted_facts('int_three_public_cost_facts') }}

{% endcall %}
