-- The “三公”经费 table (table 7) side by side: one row per data row × basis
-- (prior_budget 上年预算, current_budget 本年预算, final_accounts 决算), with
-- the tolerances of its two identities:
--   合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费
--   公务用车购置及运行费 = 购置费 + 运行费
-- and, where the table adds 会议费 / 培训费 (Jiangsu), 总合计 = 三公合计 +
-- 会议费 + 培训费.  Shanghai's 机关运行经费 column is carried along
-- (operating_costs_yuan) but is part of no identity.
-- All documents, whatever their status: the identities are evaluated here.
-- column_key is `<basis>/<category>` (extract/tables/columns.py).

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{%- set categories = [
    'grand_total', 'total', 'overseas_travel', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation',
    'reception', 'meeting', 'training', 'operating_costs'
] %}

with line_items as (

    select
        *,
        substr(column_key, 1, position('/' in column_key) - 1) as basis,
        substr(column_key, position('/' in column_key) + 1) as category
    from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind = 'three_public_costs'
        and position('/' in column_key) > 0

),

pivoted as (

    select
        document_id,
        table_index,
        row_index,
        min(page) as page,
        row_role,
        item_name,
        basis,
        document_status,
        {%- for category in categories %}
        sum(case when category = '{{ category }}' then amount_yuan end) as {{ category }}_yuan,
        sum(case when category = '{{ category }}' then half_unit_yuan end) as {{ category }}_half_unit_yuan{% if not loop.last %},{% endif %}
        {%- endfor %}
    from line_items
    group by
        document_id,
        table_index,
        row_index,
        row_role,
        item_name,
        basis,
        document_status

),

final as (

    select
        document_id,
        table_index,
        row_index,
        page,
        row_role,
        item_name,
        basis,
        grand_total_yuan,
        total_yuan,
        overseas_travel_yuan,
        vehicle_total_yuan,
        vehicle_purchase_yuan,
        vehicle_operation_yuan,
        reception_yuan,
        meeting_yuan,
        training_yuan,
        operating_costs_yuan,
        -- the vehicle subtotal as printed, or from its parts when not printed
        coalesce(
            vehicle_total_yuan,
            coalesce(vehicle_purchase_yuan, 0) + coalesce(vehicle_operation_yuan, 0)
        ) as vehicle_subtotal_yuan,
        reception_half_unit_yuan,
        vehicle_operation_half_unit_yuan,
        coalesce(total_half_unit_yuan, 0)
            + coalesce(overseas_travel_half_unit_yuan, 0)
            + coalesce(reception_half_unit_yuan, 0)
            + coalesce(
                vehicle_total_half_unit_yuan,
                coalesce(vehicle_purchase_half_unit_yuan, 0) + coalesce(vehicle_operation_half_unit_yuan, 0)
            ) as total_tolerance_yuan,
        coalesce(vehicle_total_half_unit_yuan, 0)
            + coalesce(vehicle_purchase_half_unit_yuan, 0)
            + coalesce(vehicle_operation_half_unit_yuan, 0) as vehicle_tolerance_yuan,
        coalesce(grand_total_half_unit_yuan, 0)
            + coalesce(total_half_unit_yuan, 0)
            + coalesce(meeting_half_unit_yuan, 0)
            + coalesce(training_half_unit_yuan, 0) as grand_total_tolerance_yuan,
        document_status
    from pivoted

)

select * from final

{% endcall %}
