"""Dagster wiring for the budget warehouse.

Only orchestration lives here: the extraction logic is in `extract/`, the warehouse
logic in `dbt_project/`.
"""
