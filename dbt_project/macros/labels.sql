{#- A label as a comparison key: spaces and a leading enumeration (一、 / (一) / 1.) removed.
    Narrative subjects and table labels meet on it. -#}
{% macro name_key(expression) -%}
    regexp_replace(
        replace(replace({{ expression }}, ' ', ''), '　', ''),
        '^([一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|[0-9]+[、.])',
        ''
    )
{%- endmacro %}
