-- dim_fund_scope: the reference list seeds/fund_scopes.csv as the analysts'
-- dimension, each column cast to its contract's type (dim_fund_scope.yml).

select {{ contract_columns() }}
from {{ ref('fund_scopes') }}
