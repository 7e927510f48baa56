{#-
  numerator / denominator × 100 as DECIMAL(18,2), rounded half away from zero; NULL when the
  denominator is 0 or NULL.  Both arguments: DECIMAL(…,2) amounts in 元.  Never a float.
-#}
{% macro exact_percent(numerator, denominator) -%}
    {{ return(adapter.dispatch('exact_percent')(numerator, denominator)) }}
{%- endmacro %}

{#- PostgreSQL (and others): numeric division is exact. -#}
{% macro default__exact_percent(numerator, denominator) -%}
cast(round(({{ numerator }}) * 100 / nullif({{ denominator }}, 0), 2) as decimal(18, 2))
{%- endmacro %}

{#- DuckDB divides decimals as DOUBLE: divide whole cents (HUGEINT) and round by hand. -#}
{% macro duckdb__exact_percent(numerator, denominator) -%}
cast(
    cast(
        sign({{ numerator }}) * sign({{ denominator }})
        * (
            (abs(cast(({{ numerator }}) * 100 as hugeint)) * 20000
             + abs(cast(nullif({{ denominator }}, 0) * 100 as hugeint)))
            // (2 * abs(cast(nullif({{ denominator }}, 0) * 100 as hugeint)))
        )
        as decimal(38, 0)
    ) * 0.01
    as decimal(18, 2)
)
{%- endmacro %}
