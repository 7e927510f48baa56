-- dim_revenue_source: the reference list seeds/revenue_sources.csv as the analysts'
-- dimension, each column cast to its contract's type (dim_revenue_source.yml).

select {{ contract_columns() }}
from {{ ref('revenue_sources') }}
