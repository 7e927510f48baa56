-- dim_three_public_basis: the reference list seeds/three_public_bases.csv as the analysts'
-- dimension, each column cast to its contract's type (dim_three_public_basis.yml).

select {{ contract_columns() }}
from {{ ref('three_public_bases') }}
