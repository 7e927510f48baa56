{#-
    Rounding tolerance.  Every printed figure is rounded to its last printed
    digit, so it may be off by up to half a unit of that digit.  A total and
    the sum of its parts may therefore differ by up to the sum of the half
    units of all figures involved (DOMAIN.md: 0.005 x (parts + 1) in 万元
    with two decimals).
-#}

{#- Digits printed after the decimal point ('767.78' -> 2, '17' -> 0);
    NULL when the text is NULL. -#}
{% macro printed_decimals(amount_text) -%}
    case
        when {{ amount_text }} is null then null
        when position('.' in {{ amount_text }}) > 0
            then length({{ amount_text }}) - position('.' in {{ amount_text }})
        else 0
    end
{%- endmacro %}

{#- Half a unit of the last printed digit, in 元, as DECIMAL(38,6):
        0.5 x 10^(-decimals) x unit multiplier
    decimals defaults to the digits printed after the '.' in amount_text;
    pass an integer expression as `decimals` to use another precision (for
    a blank cell, the table's printed precision).  Built from a decimal
    literal ('0.005') so no floating point is involved. -#}
{% macro half_unit_yuan(amount_text, unit, decimals=none) -%}
    {%- set d = decimals if decimals is not none else printed_decimals(amount_text) -%}
    cast(
        cast('0.' || repeat('0', {{ d }}) || '5' as decimal(38, 12))
        * {{ unit_multiplier(unit) }}
        as decimal(38, 6)
    )
{%- endmacro %}
