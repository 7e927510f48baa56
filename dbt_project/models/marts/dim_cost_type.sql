-- dim_cost_type: the reference list seeds/cost_types.csv as the analysts'
-- dimension, each column cast to its contract's type (dim_cost_type.yml).

select {{ contract_columns() }}
from {{ ref('cost_types') }}
