"""Assets: the inbox's documents (extract/) and the dbt models built on them."""
