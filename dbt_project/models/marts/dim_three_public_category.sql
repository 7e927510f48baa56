-- dim_three_public_category: the reference list seeds/three_public_categories.csv as the analysts'
-- dimension, each column cast to its contract's type (dim_three_public_category.yml).

select {{ contract_columns() }}
from {{ ref('three_public_categories') }}
