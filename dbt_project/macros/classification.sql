{#- Classification codes (支出功能分类 3/5/7 digits 类/款/项, 支出经济分类 3/5 digits 类/款 and the
    7-digit 细目 some provinces print under a 款: 3021101 差旅费 under 30211). -#}

{#- TRUE when the code is made of digits only (portable: no regex). -#}
{% macro is_digit_code(code) -%}
    ({{ code }} is not null and {{ code }} <> '' and translate({{ code }}, '0123456789', '') = '')
{%- endmacro %}

{#- Level from the code length: 3 -> 1 (类), 5 -> 2 (款), 7 -> 3 (functional 项, economic 细目);
    NULL otherwise. -#}
{% macro code_level(code) -%}
    case
        when not {{ is_digit_code(code) }} then null
        when length({{ code }}) = 3 then 1
        when length({{ code }}) = 5 then 2
        when length({{ code }}) = 7 then 3
    end
{%- endmacro %}

{#- Parent code: a 项 (or an economic 细目) belongs to the 款 of its first 5
    digits, a 款 to the 类 of its first 3; a 类 (or anything else) has none. -#}
{% macro parent_code(code) -%}
    case
        when not {{ is_digit_code(code) }} then null
        when length({{ code }}) = 7 then substr({{ code }}, 1, 5)
        when length({{ code }}) = 5 then substr({{ code }}, 1, 3)
    end
{%- endmacro %}

{#- The class (类, 3 digits) a code rolls up to by its digits: 项 / 细目 → 款 → 类, as the
    classification dimensions' parent_code; the code itself when it has no known level. -#}
{% macro class_code(code) -%}
    case {{ code_level(code) }}
        when 3 then {{ parent_code(parent_code(code)) }}
        when 2 then {{ parent_code(code) }}
        else {{ code }}
    end
{%- endmacro %}

{#- A department name reduced to a stable form for keys: whitespace removed
    (the loader already applies NFKC, so full-width spaces are plain). -#}
{% macro normalize_name(name) -%}
    nullif(regexp_replace({{ name }}, '\s', '', 'g'), '')
{%- endmacro %}

{#- Cost type (人员经费 / 公用经费) implied by an economic classification
    code's 类: 301 工资福利支出 and 303 对个人和家庭的补助 are personnel, so are
    their counterparts 501 机关工资福利支出 and 509 对个人和家庭的补助 in the
    government scheme; every other 类 (302 商品和服务支出, 310 资本性支出, …)
    is public.  NULL when the code is not a digit code. -#}
{% macro economic_class_cost_type(code) -%}
    case
        when not {{ is_digit_code(code) }} then null
        when substr({{ code }}, 1, 3) in ('301', '303', '501', '509') then 'personnel'
        else 'public'
    end
{%- endmacro %}

{#- A department name in its canonical form, the basis of department_key:
    full-width brackets made half-width (the loader's NFKC already does
    this; kept for rows written otherwise), whitespace removed, and a
    trailing (本级) / 本级 dropped — 海东市人力资源和社会保障局(本级) is the
    department's own unit, the same department.  NULL when nothing is left. -#}
{% macro normalize_department_name(name) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                replace(replace({{ name }}, '（', '('), '）', ')'),
                '\s', '', 'g'
            ),
            '(\(本级\)|本级)$', ''
        ),
        ''
    )
{%- endmacro %}

{#- The government-scheme economic code (政府预算支出经济分类, 5xx) of an economic row: the
    row's code when the table uses that scheme, else the first 5xx code printed beside it
    (other_codes, `/`-joined: Beijing's 50101 beside 30101); NULL when none is printed.
    split_part rather than lists: the same SQL on DuckDB and PostgreSQL. -#}
{% macro government_economic_code(code, other_codes) -%}
    case
        when {{ is_digit_code(code) }} and substr({{ code }}, 1, 1) = '5' then {{ code }}
        {%- for position in [1, 2, 3] %}
        when substr(split_part({{ other_codes }}, '/', {{ position }}), 1, 1) = '5'
            then split_part({{ other_codes }}, '/', {{ position }})
        {%- endfor %}
    end
{%- endmacro %}
