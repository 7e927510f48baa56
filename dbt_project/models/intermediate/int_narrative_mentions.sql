-- Narrative amounts in 元 with the rounding tolerance of each printed figure, the
-- base of a share and last year's figure implied by a stated change, and the
-- subject as a name key comparable with table labels.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with own_mentions as (

    select * from {{ changed_rows('stg_narrative_mentions') }} as stg_narrative_mentions
    where {{ passes_structural_checks() }}

),

publication_parts as (

    select * from {{ ref('int_publication_parts') }}

),

mentions as (

    -- a narrative printed as a file of its own speaks of its tables file:
    -- its mentions are checked against that document's tables
    select
        coalesce(publication_parts.tables_document_id, own_mentions.document_id) as document_id,
        own_mentions.document_id as source_document_id,
        own_mentions.page,
        own_mentions.sentence_index,
        own_mentions.subject,
        own_mentions.amount_text,
        own_mentions.unit,
        own_mentions.base_amount_text,
        own_mentions.base_unit,
        own_mentions.share_pct,
        own_mentions.change_direction,
        own_mentions.change_amount_text,
        own_mentions.change_unit,
        own_mentions.change_pct,
        own_mentions.sentence
    from own_mentions
    left join publication_parts
        on own_mentions.document_id = publication_parts.narrative_document_id

),

converted as (

    select
        document_id,
        source_document_id,
        page,
        sentence_index,
        subject,
        -- 社会保障和就业(类)支出 → 社会保障和就业支出; enumerations dropped, as in table labels.
        {{ name_key("replace(replace(replace(subject, '(类)', ''), '(款)', ''), '(项)', '')") }} as subject_key,
        {{ to_yuan('amount_text', 'unit') }} as amount_yuan,
        {{ half_unit_yuan('amount_text', 'unit') }} as half_unit_yuan,
        case when base_amount_text is not null then {{ to_yuan('base_amount_text', 'base_unit') }} end
            as base_yuan,
        case when base_amount_text is not null then {{ half_unit_yuan('base_amount_text', 'base_unit') }} end
            as base_half_unit_yuan,
        cast(share_pct as decimal(9, 4)) as share_pct,
        change_direction,
        case when change_amount_text is not null then {{ to_yuan('change_amount_text', 'change_unit') }} end
            as change_yuan,
        case when change_amount_text is not null then {{ half_unit_yuan('change_amount_text', 'change_unit') }} end
            as change_half_unit_yuan,
        cast(change_pct as decimal(9, 4)) as change_pct,
        sentence
    from mentions

)

select
    *,
    -- Last year's figure: this year's minus an increase, plus a decrease.
    case
        when change_direction in ('增加', '增长') then amount_yuan - change_yuan
        when change_direction in ('减少', '下降') then amount_yuan + change_yuan
    end as prior_yuan
from converted

{% endcall %}
