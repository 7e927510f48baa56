-- One row per document × project of the performance-target tables
-- (项目支出绩效目标表): the project's printed amount in 元 with its rounding
-- half unit, its goal and where it starts.  raw.performance_indicators
-- repeats a project's merged cells on every indicator row; the project's
-- first row (by table and row) gives its amount and goal.
-- All documents, whatever their status.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with indicators as (

    select * from {{ changed_rows('stg_performance_indicators') }} as stg_performance_indicators
    where project_name is not null
        and {{ passes_structural_checks() }}
        and project_name <> ''

),

numbered as (

    select
        *,
        row_number() over (
            partition by document_id, project_name
            order by table_index, row_index
        ) as row_in_project,
        count(*) over (
            partition by document_id, project_name
        ) as indicator_count
    from indicators

),

first_rows as (

    select
        *,
        row_number() over (
            partition by document_id
            order by table_index, row_index
        ) as project_order
    from numbered
    where row_in_project = 1

),

document_status as (

    select * from {{ ref('int_document_status') }}

)

select
    first_rows.document_id,
    first_rows.project_name,
    first_rows.project_order,
    first_rows.table_index,
    first_rows.row_index,
    first_rows.page,
    first_rows.amount_text,
    first_rows.amount_unit,
    {{ to_yuan('first_rows.amount_text', 'first_rows.amount_unit') }} as amount_yuan,
    case
        when first_rows.amount_text is null then cast(0 as decimal(38, 6))
        else {{ half_unit_yuan('first_rows.amount_text', 'first_rows.amount_unit') }}
    end as half_unit_yuan,
    first_rows.goal,
    first_rows.indicator_count,
    document_status.document_status
from first_rows
left join document_status
    on first_rows.document_id = document_status.document_id

{% endcall %}
