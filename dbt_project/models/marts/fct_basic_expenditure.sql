-- Basic spending by economic classification: one row per admitted document
-- × fund scope × leaf economic code × cost type, for every printed,
-- non-zero amount.  Tables: 一般公共预算基本支出表 (table 6, fund_scope
-- general_public_budget) and Jiangsu's 财政拨款基本支出预算表
-- (fiscal_appropriation).  Where the table prints 人员经费 / 公用经费 the
-- cost type is the column; where it prints a single amount column (Jiangsu,
-- 决算) the economic 类 decides: 301, 303 (501, 509) → personnel, others →
-- public.  Leaf = the finest code printed: a 细目 (7 digits, 3021101 under
-- 30211, where a province prints them), a 款 (5 digits) printed without
-- 细目 or a 类 printed without 款; roll up through
-- dim_economic_classification.  government_economic_code: the row's code in
-- the government scheme (5xx), printed beside the department code in
-- Beijing's tables (50101-工资奖金津补贴  30101-基本工资).
-- The candidates of every document are int_basic_expenditure_facts; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year, the columns of fct_basic_expenditure.yml (macro admitted_facts).

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{{ admitted_facts('int_basic_expenditure_facts') }}

{% endcall %}
