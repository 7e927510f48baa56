{#-
  numerator / denominator × 100 as DECIMAL(18,2), rounded half away from zero, computed
  on whole cents (HUGEINT) so that no float is involved (DuckDB divides decimals as DOUBLE).
  NULL when the denominator is 0 or NULL.  Both arguments: DECIMAL(…,2) amounts in 元.
-#}
{% macro exact_percent(numerator, denominator) -%}
cast(
    cast(
        sign({{ numerator }}) * sign({{ denominator }})
        * (
            (abs(cast({{ numerator }} * 100 as hugeint)) * 20000
             + abs(cast(nullif({{ denominator }}, 0) * 100 as hugeint)))
            // (2 * abs(cast(nullif({{ denominator }}, 0) * 100 as hugeint)))
        )
        as decimal(38, 0)
    ) * 0.01
    as decimal(18, 2)
)
{%- endmacro %}
