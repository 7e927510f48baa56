{#- Identities inside the “三公”经费 table (table 7), severity error, every
    row × basis of int_three_public_costs. -#}


{#- 合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费. -#}
{% macro identity_three_public_total(costs, include_passing=false) %}
    with checked as (
        select
            document_id,
            'three_public_costs' as table_kind,
            '[' || basis || '] 合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费' as item,
            total_yuan as expected_yuan,
            coalesce(overseas_travel_yuan, 0) + vehicle_subtotal_yuan + coalesce(reception_yuan, 0) as actual_yuan,
            total_tolerance_yuan as tolerance_yuan,
            page
        from {{ costs }} as costs_input
        where total_yuan is not null
            and (overseas_travel_yuan is not null or vehicle_total_yuan is not null
                 or vehicle_purchase_yuan is not null or vehicle_operation_yuan is not null
                 or reception_yuan is not null)
    )
    {{ identity_output('three_public_total', include_passing=include_passing) }}
{% endmacro %}


{#- 公务用车购置及运行费 = 购置费 + 运行费. -#}
{% macro identity_three_public_vehicles(costs, include_passing=false) %}
    with checked as (
        select
            document_id,
            'three_public_costs' as table_kind,
            '[' || basis || '] 公务用车购置及运行费 = 购置费 + 运行费 (vehicle_total)' as item,
            vehicle_total_yuan as expected_yuan,
            coalesce(vehicle_purchase_yuan, 0) + coalesce(vehicle_operation_yuan, 0) as actual_yuan,
            vehicle_tolerance_yuan as tolerance_yuan,
            page
        from {{ costs }} as costs_input
        where vehicle_total_yuan is not null
            and (vehicle_purchase_yuan is not null or vehicle_operation_yuan is not null)
    )
    {{ identity_output('three_public_vehicles', include_passing=include_passing) }}
{% endmacro %}


{#- Where the table adds 会议费 and 培训费 (Jiangsu): 总合计 = 三公合计 + 会议费 + 培训费. -#}
{% macro identity_three_public_grand_total(costs, include_passing=false) %}
    with checked as (
        select
            document_id,
            'three_public_costs' as table_kind,
            '[' || basis || '] 合计 = “三公”经费 + 会议费 + 培训费 (grand_total)' as item,
            grand_total_yuan as expected_yuan,
            coalesce(total_yuan, 0) + coalesce(meeting_yuan, 0) + coalesce(training_yuan, 0) as actual_yuan,
            grand_total_tolerance_yuan as tolerance_yuan,
            page
        from {{ costs }} as costs_input
        where grand_total_yuan is not null
    )
    {{ identity_output('three_public_grand_total', include_passing=include_passing) }}
{% endmacro %}
