{#-
    Accounting identity "total = sum of its parts", within a rounding
    tolerance.  Fails (returns) every row where

        abs(total - sum(coalesce(part, 0))) > tolerance

    column_name : the printed total (the column the test is attached to);
                  a NULL total counts as 0
    parts       : list of part columns (or expressions); NULL counts as 0
    tolerance   : a column or SQL expression in the same unit; NULL counts
                  as 0 (strict)

        columns:
          - name: total_yuan
            data_tests:
              - sums_to_total:
                  arguments:
                    parts: [basic_yuan, project_yuan]
                    tolerance: tolerance_yuan

    The failing rows keep every column of the model plus checked_total,
    checked_parts_sum, checked_difference (total - parts) and
    checked_tolerance, so that `--store-failures` gives ready findings.
-#}
{% test sums_to_total(model, column_name, parts, tolerance) %}

with checked as (

    select
        *,
        coalesce({{ column_name }}, 0) as checked_total,
        (
            {%- for part in parts %}
            coalesce({{ part }}, 0){% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as checked_parts_sum,
        coalesce({{ tolerance }}, 0) as checked_tolerance
    from {{ model }}

)

select
    *,
    checked_total - checked_parts_sum as checked_difference
from checked
where abs(checked_total - checked_parts_sum) > checked_tolerance

{% endtest %}
