{#-
    Money: exact decimal arithmetic only, never floats.
    Amounts arrive as normalized text (no thousands separators, '-' for
    negatives, e.g. '767.78' or '7677800.00') together with the table's
    printed unit (元, 千元, 万元, 亿元).
-#}

{#- How many 元 one printed unit is worth; NULL for an unknown unit. -#}
{% macro unit_multiplier(unit) -%}
    case {{ unit }}
        when '元' then 1
        when '千元' then 1000
        when '万元' then 10000
        when '亿元' then 100000000
    end
{%- endmacro %}

{#- A printed amount converted exactly to 元 as DECIMAL(20,2).
    NULL when the text is NULL (blank cell) or the unit is unknown. -#}
{% macro to_yuan(amount_text, unit) -%}
    cast(
        cast({{ amount_text }} as decimal(38, 6)) * {{ unit_multiplier(unit) }}
        as decimal(20, 2)
    )
{%- endmacro %}


{#- The text as DECIMAL(precision), or NULL when it does not parse: the structural checks ask
    before any model casts (a cast that fails would stop the whole build). -#}
{% macro try_decimal(text, precision='38, 6') -%}
    {{ return(adapter.dispatch('try_decimal')(text, precision)) }}
{%- endmacro %}

{% macro duckdb__try_decimal(text, precision) -%}
    try_cast({{ text }} as decimal({{ precision }}))
{%- endmacro %}

{#- Elsewhere (PostgreSQL): a plain decimal number with no more integer digits than the type holds. -#}
{% macro default__try_decimal(text, precision) -%}
    {%- set parts = precision.split(',') -%}
    {%- set integer_digits = parts[0] | int - parts[1] | int -%}
    case
        when {{ text }} ~ '^-?[0-9]{1,{{ integer_digits }}}(\.[0-9]+)?$'
            then cast({{ text }} as numeric({{ precision }}))
    end
{%- endmacro %}
