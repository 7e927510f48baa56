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
