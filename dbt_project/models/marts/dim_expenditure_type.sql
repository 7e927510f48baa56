-- dim_expenditure_type: the reference list seeds/expenditure_types.csv as the analysts'
-- dimension, each column cast to its contract's type (dim_expenditure_type.yml).

select {{ contract_columns() }}
from {{ ref('expenditure_types') }}
