{#-
    Fails for every combination of the given columns that occurs more than
    once (a model's grain).  Model-level test:

        data_tests:
          - unique_combination:
              arguments:
                combination_of_columns: [document_id, table_index]
-#}
{% test unique_combination(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as duplicate_rows
from {{ model }}
group by
    {{ combination_of_columns | join(',\n    ') }}
having count(*) > 1

{% endtest %}
