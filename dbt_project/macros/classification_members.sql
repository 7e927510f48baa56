{#-
    Members of a classification dimension, from the coded rows the admitted
    documents print in `scheme` (int_classification_printings: `functional`
    from int_expenditure_rows, `economic` from int_basic_expenditure_rows):
    every printed code plus its parent codes
    (also when the parent itself is not printed), with
      code        the classification code
      name        the name printed in the most recent fiscal year (ties: the
                  most frequent, then the first alphabetically); NULL for a
                  parent that is never printed
      code_level  1 类 / 2 款 / 3 项
      parent      the parent code
    and the unknown member `unknown` (未知科目; level and parent NULL).
    Names change between years (a name belongs to code × year): the
    year-specific name stays on each fact row as item_name.
-#}
{% macro classification_members(scheme) %}

    with printings as (

        select * from {{ ref('int_classification_printings') }}
        where scheme = '{{ scheme }}'

    ),

    documents as (

        select * from {{ ref('int_documents_admitted') }}

    ),

    printed as (

        select
            printings.item_code as code,
            printings.item_name as name,
            documents.fiscal_year,
            sum(printings.times_printed) as times_printed
        from printings
        inner join documents
            on printings.document_id = documents.document_id
        group by
            printings.item_code,
            printings.item_name,
            documents.fiscal_year

    ),

    latest_names as (

        select
            code,
            name,
            row_number() over (
                partition by code
                order by fiscal_year desc, times_printed desc, name
            ) as name_rank
        from printed

    ),

    codes as (

        select code from printed
        union
        select {{ parent_code('code') }} from printed
        union
        select {{ parent_code(parent_code('code')) }} from printed

    )

    select
        codes.code,
        latest_names.name,
        {{ code_level('codes.code') }} as code_level,
        {{ parent_code('codes.code') }} as parent
    from codes
    left join latest_names
        on codes.code = latest_names.code
        and latest_names.name_rank = 1
    where codes.code is not null

    union all

    -- the unknown member: the facts of rows printed without a code
    select
        'unknown' as code,
        '未知科目 (unknown)' as name,
        cast(null as integer) as code_level,
        cast(null as varchar) as parent

{% endmacro %}


{#-
    The name of every classification code per fiscal year, from the coded
    rows the admitted documents print in `scheme` (int_classification_printings):
    the name printed most often
    for the code in that year (ties: the first alphabetically), with how many
    rows and documents printed the code that year and how many distinct
    names they used.  The national list is revised every year, so a name
    belongs to code × year.
-#}
{% macro classification_names_by_year(scheme) %}

    with printings as (

        select * from {{ ref('int_classification_printings') }}
        where scheme = '{{ scheme }}'

    ),

    documents as (

        select * from {{ ref('int_documents_admitted') }}

    ),

    printed as (

        select
            printings.item_code as code,
            documents.fiscal_year,
            printings.item_name as name,
            sum(printings.times_printed) as times_printed,
            count(distinct printings.document_id) as document_count
        from printings
        inner join documents
            on printings.document_id = documents.document_id
        where {{ is_digit_code('printings.item_code') }}
            and printings.item_name is not null
            and printings.item_name <> ''
        group by
            printings.item_code,
            documents.fiscal_year,
            printings.item_name

    ),

    ranked as (

        select
            *,
            row_number() over (
                partition by code, fiscal_year
                order by times_printed desc, name
            ) as name_rank,
            count(*) over (partition by code, fiscal_year) as name_variants,
            sum(document_count) over (partition by code, fiscal_year) as documents_printing
        from printed

    )

    select
        code,
        fiscal_year,
        name,
        name_variants,
        documents_printing
    from ranked
    where name_rank = 1

{% endmacro %}
