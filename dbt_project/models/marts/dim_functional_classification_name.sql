-- The name of every functional classification code (支出功能分类科目) per
-- fiscal year: the national list is revised yearly, so a name belongs to
-- code × year (e.g. 210 医疗卫生与计划生育支出 until 2018, 卫生健康支出 since).

with names as (

    {{ classification_names_by_year('functional') }}

)

select
    cast(code as varchar) as functional_code,
    cast(fiscal_year as integer) as fiscal_year,
    cast(name as varchar) as functional_name,
    cast(name_variants as integer) as name_variants,
    cast(documents_printing as integer) as document_count
from names
