"""The `budget-etl` command line: run, status, query, findings, export, accept, retire, explain, docs.

Only `budget-etl run` (budget_etl/run.py) imports Dagster, and only once it runs; the analysts'
commands open the warehouse read-only and import neither Dagster nor dbt.
"""
