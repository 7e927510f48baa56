-- Accounting identity "parent = sum of its children" inside the coded
-- tables: 类 = Σ款, 款 = Σ项 (economic: 款 = Σ细目), 合计 = Σ类, per amount
-- column.  A row's parent is the nearest printed row whose code is a prefix
-- of its code (so a level the table skips does not break the check) and,
-- where a table prints that code on several rows (blocks per unit, a
-- department economic 类 once per government 类), the one printed nearest
-- above it; rows with no printed ancestor belong to the 合计 row (when the
-- table prints exactly one).  Tables with uncoded item rows are left out
-- (their hierarchy is unknown); blank spacer lines are not uncoded rows
-- (int_coded_tables).  One row per parent (logical) row × column.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

with line_items as (

    select * from {{ changed_rows('int_line_items') }} as int_line_items
    where table_kind in {{ sql_list(coded_table_kinds()) }}

),

coded_tables as (

    -- tables where every item row printing something carries a code
    select
        document_id,
        table_index
    from {{ changed_rows('int_coded_tables') }} as int_coded_tables
    where is_coded

),

coded_rows as (

    -- print_order: the groups printed side by side on a line are read one after the other
    select
        document_id,
        table_index,
        row_index,
        row_group,
        item_code,
        dense_rank() over (partition by document_id, table_index order by row_group, row_index) as print_order
    from (
        select distinct
            line_items.document_id,
            line_items.table_index,
            line_items.row_index,
            line_items.row_group,
            line_items.item_code
        from line_items
        inner join coded_tables
            on line_items.document_id = coded_tables.document_id
            and line_items.table_index = coded_tables.table_index
        where line_items.row_role = 'item'
            and {{ is_digit_code('line_items.item_code') }}
    ) as printed_codes

),

total_rows as (

    -- the table's 合计 row; none when the table prints several total rows
    -- (e.g. 人员经费合计 | 公用经费合计 side by side): which classes each
    -- one sums is not a matter of codes
    select
        document_id,
        table_index,
        min(row_index) as row_index,
        min(row_group) as row_group
    from (
        select distinct document_id, table_index, row_index, row_group
        from line_items
        where row_role = 'total'
    ) as printed_totals
    group by
        document_id,
        table_index
    having count(*) = 1

),

prefix_lengths as (

    -- the lengths a proper prefix of a code can have (codes have 3 to 7 digits)
    select generate_series as prefix_length
    from generate_series(1, 63)

),

child_prefixes as (

    -- every proper prefix of each row's code: the codes its ancestors may print.  Joined on
    -- them (equality) rather than on "is a prefix of", a row meets its ancestors only, not
    -- every shorter code of its table (same rows; ≈10 % less time at 100,000 documents).
    select
        coded_rows.*,
        substr(coded_rows.item_code, 1, prefix_lengths.prefix_length) as ancestor_code
    from coded_rows
    inner join prefix_lengths
        on prefix_lengths.prefix_length < length(coded_rows.item_code)

),

ancestors as (

    select
        child.document_id,
        child.table_index,
        child.row_index as child_row_index,
        child.row_group as child_row_group,
        ancestor.row_index as ancestor_row_index,
        ancestor.row_group as ancestor_row_group,
        row_number() over (
            partition by child.document_id, child.table_index, child.row_index, child.row_group
            -- the longest prefix; of its rows the nearest printed above the child, else the first below
            order by
                length(ancestor.item_code) desc,
                case when ancestor.print_order < child.print_order then 0 else 1 end,
                abs(child.print_order - ancestor.print_order)
        ) as nearness
    from child_prefixes as child
    inner join coded_rows as ancestor
        on child.document_id = ancestor.document_id
        and child.table_index = ancestor.table_index
        and child.ancestor_code = ancestor.item_code

),

parent_of as (

    select
        coded_rows.document_id,
        coded_rows.table_index,
        coded_rows.row_index as child_row_index,
        coded_rows.row_group as child_row_group,
        case
            when ancestors.ancestor_row_index is not null then ancestors.ancestor_row_index
            else total_rows.row_index
        end as parent_row_index,
        case
            when ancestors.ancestor_row_index is not null then ancestors.ancestor_row_group
            else total_rows.row_group
        end as parent_row_group
    from coded_rows
    left join ancestors
        on coded_rows.document_id = ancestors.document_id
        and coded_rows.table_index = ancestors.table_index
        and coded_rows.row_index = ancestors.child_row_index
        and coded_rows.row_group = ancestors.child_row_group
        and ancestors.nearness = 1
    left join total_rows
        on coded_rows.document_id = total_rows.document_id
        and coded_rows.table_index = total_rows.table_index

),

children as (

    select
        parent_of.document_id,
        parent_of.table_index,
        parent_of.parent_row_index,
        parent_of.parent_row_group,
        line_items.column_key,
        sum(line_items.amount_yuan) as children_sum_yuan,
        sum(line_items.half_unit_yuan) as children_half_units_yuan,
        count(*) as child_count
    from parent_of
    inner join line_items
        on parent_of.document_id = line_items.document_id
        and parent_of.table_index = line_items.table_index
        and parent_of.child_row_index = line_items.row_index
        and parent_of.child_row_group = line_items.row_group
    where parent_of.parent_row_index is not null
    group by
        parent_of.document_id,
        parent_of.table_index,
        parent_of.parent_row_index,
        parent_of.parent_row_group,
        line_items.column_key

),

rollups as (

    select
        parent.document_id,
        parent.table_index,
        parent.table_kind,
        parent.row_index,
        parent.row_group,
        parent.col_index,
        parent.page,
        parent.row_role,
        parent.item_code,
        parent.item_name,
        parent.column_key,
        parent.amount_yuan as printed_yuan,
        children.children_sum_yuan,
        children.child_count,
        parent.amount_yuan - children.children_sum_yuan as difference_yuan,
        parent.half_unit_yuan + children.children_half_units_yuan as tolerance_yuan,
        parent.document_status
    from line_items as parent
    inner join children
        on parent.document_id = children.document_id
        and parent.table_index = children.table_index
        and parent.row_index = children.parent_row_index
        and parent.row_group = children.parent_row_group
        and parent.column_key = children.column_key

),

final as (

    select
        document_id,
        table_index,
        table_kind,
        row_index,
        row_group,
        col_index,
        page,
        row_role,
        item_code,
        item_name,
        column_key,
        printed_yuan,
        children_sum_yuan,
        child_count,
        difference_yuan,
        tolerance_yuan,
        abs(difference_yuan) <= tolerance_yuan as is_within_tolerance,
        document_status
    from rollups

)

select * from final

{% endcall %}
