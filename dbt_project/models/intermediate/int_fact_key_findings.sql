-- Repeated fact keys, per document: two printed cells that would become the
-- same fact (the same leaf code, fund scope and column twice: a table
-- printed twice under one kind, a code printed on two rows, a continuation
-- read as a table of its own).  Storing both would count the money twice;
-- keeping one would be a guess.  Such a document is quarantined
-- (audit.identity_findings, severity `error`) and never reaches the facts,
-- whose grain tests then only fail on a defect of the models themselves.
-- A code printed on several rows of one table checked through its codes
-- (int_coded_tables.is_rollup_checked: blocks per unit, a code once per
-- code of another scheme) is parts of one fact, which the facts add up; the
-- key repeats when it is filled by two tables, or by several rows of a table
-- whose codes do not account for all of its money.
-- One row per document × fact table × repeated key.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with coded_tables as (

    select * from {{ changed_rows('int_coded_tables') }} as int_coded_tables

),

{%- for name, facts in [
    ('expenditure_facts', 'int_expenditure_facts'),
    ('basic_expenditure_facts', 'int_basic_expenditure_facts'),
] %}

{{ name }} as (

    select
        facts.*,
        coalesce(coded_tables.is_rollup_checked, false) as is_rollup_checked
    from {{ changed_rows(facts) }} as facts
    left join coded_tables
        on facts.document_id = coded_tables.document_id
        and facts.table_index = coded_tables.table_index

),
{%- endfor %}

expenditure as (

    select
        document_id,
        'fct_expenditure' as fact_table,
        fund_scope || ' ' || functional_code || ' ' || expenditure_type as fact_key,
        min(page) as page,
        sum(printed_cells) as cells,
        string_agg(distinct cast(table_index as varchar), ', ' order by cast(table_index as varchar)) as tables
    from expenditure_facts
    group by document_id, fund_scope, functional_code, expenditure_type
    having count(*) > 1
        or sum(case when printed_cells > 1 and not is_rollup_checked then 1 else 0 end) > 0

),

basic_expenditure as (

    select
        document_id,
        'fct_basic_expenditure' as fact_table,
        fund_scope || ' ' || economic_code
        || coalesce(' (' || government_economic_code || ')', '') || ' ' || cost_type as fact_key,
        min(page) as page,
        sum(printed_cells) as cells,
        string_agg(distinct cast(table_index as varchar), ', ' order by cast(table_index as varchar)) as tables
    from basic_expenditure_facts
    -- the government code is part of the grain: Beijing prints 30101 基本工资 twice, under
    -- 50101 (机关) and 50501 (事业单位)
    group by document_id, fund_scope, economic_code, government_economic_code, cost_type
    having count(*) > 1
        or sum(case when printed_cells > 1 and not is_rollup_checked then 1 else 0 end) > 0

),

three_public_costs as (

    select
        document_id,
        'fct_three_public_costs' as fact_table,
        basis || ' ' || category as fact_key,
        min(page) as page,
        count(*) as cells,
        string_agg(distinct cast(table_index as varchar), ', ' order by cast(table_index as varchar)) as tables
    from {{ changed_rows('int_three_public_cost_facts') }} as int_three_public_cost_facts
    group by document_id, basis, category
    having count(*) > 1

),

repeated as (

    select * from expenditure
    union all
    select * from basic_expenditure
    union all
    select * from three_public_costs

)

select
    document_id,
    'structure_repeated_fact_key' as identity,
    fact_table,
    fact_key,
    page,
    cells,
    fact_table || ': ' || fact_key || ' printed ' || cells || ' times (tables ' || tables || ')' as item,
    'error' as severity
from repeated

{% endcall %}
