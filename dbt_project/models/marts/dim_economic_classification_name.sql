-- The name of every economic classification code (支出经济分类科目) per
-- fiscal year: a name belongs to code × year.

with names as (

    {{ classification_names_by_year('economic') }}

)

select
    cast(code as varchar) as economic_code,
    cast(fiscal_year as integer) as fiscal_year,
    cast(name as varchar) as economic_name,
    cast(name_variants as integer) as name_variants,
    cast(documents_printing as integer) as document_count
from names
