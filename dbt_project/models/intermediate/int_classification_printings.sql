-- How often each document prints each classification code with each name: the item rows of its
-- spending tables (int_expenditure_rows: functional codes, 支出功能分类) and of its basic-spending
-- tables (int_basic_expenditure_rows: economic codes, 支出经济分类), counted per document.  The
-- classification dimensions aggregate this over the admitted documents instead of the rows
-- themselves (a few rows per document and code instead of one per table cell): incremental by
-- document, like its inputs.

{{ config(materialized='incremental') }}

{% call changed_documents_only() %}

{%- for scheme, rows_model in [('functional', 'int_expenditure_rows'), ('economic', 'int_basic_expenditure_rows')] %}
{%- if not loop.first %}

union all

{% endif %}
select
    table_rows.document_id,
    cast('{{ scheme }}' as varchar) as scheme,
    table_rows.item_code,
    table_rows.item_name,
    cast(count(*) as bigint) as times_printed
from {{ changed_rows(rows_model) }} as table_rows
where table_rows.row_role = 'item'
    and table_rows.item_code is not null
group by table_rows.document_id, table_rows.item_code, table_rows.item_name
{%- endfor %}

{% endcall %}
