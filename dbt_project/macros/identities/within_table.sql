{#- Identities inside one coded table (severity error). -#}


{#- Row total = sum of its columns in the functional spending tables
    (支出总表, 财政拨款支出表, 一般公共预算支出表, 政府性基金 / 国有资本经营预算支出表)
    and the spending tables checked but not in the facts (spending by economic
    code other than table 6, basic spending by functional code):
    合计 = 基本支出 + 项目支出 + 事业单位经营支出 + 上缴上级支出 + 对附属单位补助支出
    (+ 单位预留机动经费), on every row, where the table prints a total and a
    part column.  expected = printed 合计, actual = Σ parts. -#}
{% macro identity_expenditure_row_total(rows, include_passing=false) %}
    {{ row_total_identity('expenditure_row_total', rows, '基本支出 + 项目支出 + …', include_passing) }}
{% endmacro %}


{#- 基本支出 = 人员支出 + 日常公用支出 in the functional spending tables that print
    the 小计 of 基本支出 and its parts (Zhejiang's 一般公共预算支出表: 基本支出 over
    小计 | 人员支出 | 日常公用支出), on every row.  expected = printed 小计,
    actual = Σ parts.  A table printing the parts without the 小计 has its sum
    stand for 基本支出 in the row total instead (wide_table_rows). -#}
{% macro identity_expenditure_basic_split(rows, include_passing=false) %}
    with checked as (
        select
            document_id,
            table_kind,
            {{ item_label('item_code', "coalesce(item_name, '合计')") }}
                || ': 基本支出 = 人员支出 + 日常公用支出 (row total)' as item,
            basic_yuan as expected_yuan,
            basic_parts_sum_yuan as actual_yuan,
            basic_split_tolerance_yuan as tolerance_yuan,
            page
        from {{ rows }} as rows_input
        where basic_yuan is not null
            and basic_parts_sum_yuan is not null
    )
    {{ identity_output('expenditure_basic_split', include_passing=include_passing) }}
{% endmacro %}


{#- Row total = sum of its columns in the basic-spending tables by economic
    classification: 合计 = 人员经费 + 公用经费, where the table prints the split. -#}
{% macro identity_basic_row_total(rows, include_passing=false) %}
    {{ row_total_identity('basic_row_total', rows, '人员经费 + 公用经费', include_passing) }}
{% endmacro %}


{#- A wide table's row identity (int_expenditure_rows, int_basic_expenditure_rows: wide_table_rows):
    on every row of a table printing a total and a part column, expected = printed 合计,
    actual = Σ parts; `parts` names them in the finding's item. -#}
{% macro row_total_identity(identity, rows, parts, include_passing) %}
    with checked as (
        select
            document_id,
            table_kind,
            {{ item_label('item_code', "coalesce(item_name, '合计')") }}
                || ': 合计 = {{ parts }} (row total)' as item,
            coalesce(total_yuan, 0) as expected_yuan,
            parts_sum_yuan as actual_yuan,
            tolerance_yuan,
            page
        from {{ rows }} as rows_input
        where has_parts
    )
    {{ identity_output(identity, include_passing=include_passing) }}
{% endmacro %}


{#- Parent = sum of its children in every coded table, every amount column:
    类 = Σ款, 款 = Σ项 (economic tables: 款 = Σ细目), and the 合计 row = Σ类
    (int_classification_rollups). -#}
{% macro identity_parent_equals_children(rollups, include_passing=false) %}
    with checked as (
        select
            document_id,
            table_kind,
            {{ item_label('item_code', "coalesce(item_name, '合计')") }}
                || ' [' || column_key || ']: '
                || case
                    when row_role = 'total' then '合计 = Σ类'
                    when length(item_code) = 3 then '类 = Σ款'
                    -- an economic 款's children are a province's 细目 (3021101 under 30211)
                    when length(item_code) = 5 and table_kind in {{ sql_list(economic_coded_table_kinds()) }}
                        then '款 = Σ细目'
                    when length(item_code) = 5 then '款 = Σ项'
                    else 'parent = Σ children'
                end as item,
            printed_yuan as expected_yuan,
            children_sum_yuan as actual_yuan,
            tolerance_yuan,
            page
        from {{ rollups }} as rollups_input
    )
    {{ identity_output('parent_equals_children', include_passing=include_passing) }}
{% endmacro %}
