-- Functional classification of spending (支出功能分类科目): 类 (3 digits),
-- 款 (5), 项 (7), as printed in the spending tables of the admitted
-- documents, plus the unknown member.

with final as (

    {{ classification_members('functional') }}

)

select
    cast(code as varchar) as functional_code,
    cast(name as varchar) as functional_name,
    cast(code_level as integer) as level,
    cast(parent as varchar) as parent_code
from final
