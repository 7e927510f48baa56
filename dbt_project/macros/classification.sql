{#- Classification codes (支出功能分类 3/5/7 digits, 支出经济分类 3/5 digits). -#}

{#- TRUE when the code is made of digits only (portable: no regex). -#}
{% macro is_digit_code(code) -%}
    ({{ code }} is not null and {{ code }} <> '' and translate({{ code }}, '0123456789', '') = '')
{%- endmacro %}

{#- Level from the code length: 3 -> 1 (类), 5 -> 2 (款), 7 -> 3 (项); NULL otherwise. -#}
{% macro code_level(code) -%}
    case
        when not {{ is_digit_code(code) }} then null
        when length({{ code }}) = 3 then 1
        when length({{ code }}) = 5 then 2
        when length({{ code }}) = 7 then 3
    end
{%- endmacro %}

{#- Parent code: a 项 belongs to the 款 of its first 5 digits, a 款 to the
    类 of its first 3; a 类 (or anything else) has none. -#}
{% macro parent_code(code) -%}
    case
        when not {{ is_digit_code(code) }} then null
        when length({{ code }}) = 7 then substr({{ code }}, 1, 5)
        when length({{ code }}) = 5 then substr({{ code }}, 1, 3)
    end
{%- endmacro %}

{#- A department name reduced to a stable form for keys: whitespace removed
    (the loader already applies NFKC, so full-width spaces are plain). -#}
{% macro normalize_name(name) -%}
    nullif(regexp_replace({{ name }}, '\s', '', 'g'), '')
{%- endmacro %}
