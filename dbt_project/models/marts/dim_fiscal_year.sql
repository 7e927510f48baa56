-- One row per budget year (预算年度) of the admitted documents, plus the
-- unknown member 0.

with documents as (

    select * from {{ ref('int_documents_admitted') }}

),

years as (

    select distinct fiscal_year
    from documents
    where fiscal_year <> 0

),

final as (

    select fiscal_year from years
    union all
    select 0 as fiscal_year

)

select
    cast(fiscal_year as integer) as fiscal_year
from final
