-- Spending by functional classification: one row per admitted document ×
-- leaf functional code × fund scope × expenditure type, for every printed,
-- non-zero amount.  Parent codes and the 合计 row are not stored: roll up
-- through dim_functional_classification.  A table that prints only one
-- amount column (Jiangsu's 财政拨款支出预算表 / 一般公共预算支出预算表: 金额)
-- gives expenditure_type `total` (not split by kind).
-- The candidates of every document are int_expenditure_facts; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year, the columns of fct_expenditure.yml (macro admitted_facts).

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{{ admitted_facts('int_expenditure_facts') }}

{% endcall %}
