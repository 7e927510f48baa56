-- Projects of the performance-target tables (项目支出绩效目标表): one row
-- per admitted document × project, with the amount printed for it (批复数,
-- converted to 元 from the table's unit) and its performance goal.
-- The candidates of every document are int_performance_projects; this keeps
-- the admitted documents' (int_documents_admitted) with their department
-- and year, the columns of fct_project.yml (macro admitted_facts).

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{{ admitted_facts('int_performance_projects') }}

{% endcall %}
