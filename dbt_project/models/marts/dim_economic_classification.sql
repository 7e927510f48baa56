-- Economic classification of spending: 类 (3 digits), 款 (5 digits) and
-- the 细目 (7 digits) some provinces print under a 款 (3021101 差旅费 under
-- 30211; the national list stops at 款, so a 细目's parent is its 款), either the department scheme (部门预算支出经济分类, 3xx) or the government
-- scheme (政府预算支出经济分类, 5xx), as printed in the basic-spending tables
-- of the admitted documents, plus the unknown member.

with final as (

    {{ classification_members('economic') }}

)

select
    cast(code as varchar) as economic_code,
    cast(name as varchar) as economic_name,
    cast(code_level as integer) as level,
    cast(parent as varchar) as parent_code,
    cast(
        case substr(code, 1, 1)
            when '3' then 'department'
            when '5' then 'government'
            else 'unknown'
        end
        as varchar
    ) as scheme
from final
