-- Functional classification of spending (支出功能分类科目): 类 (3 digits),
-- 款 (5), 项 (7), as printed in the spending tables of the admitted
-- documents, plus the unknown member.

with members as (

    {{ classification_members('int_expenditure_rows') }}

),

unknown_member as (

    select
        'unknown' as code,
        '未知科目 (unknown)' as name,
        cast(null as integer) as code_level,
        cast(null as varchar) as parent

),

final as (

    select code, name, code_level, parent from members
    union all
    select code, name, code_level, parent from unknown_member

)

select
    cast(code as varchar) as functional_code,
    cast(name as varchar) as functional_name,
    cast(code_level as integer) as level,
    cast(parent as varchar) as parent_code
from final
