"""Dagster wiring for the budget warehouse: definitions, assets, jobs, schedules, sensors, resources.

Only orchestration lives here: extraction is in `extract/`, the warehouse side (loading,
planning, publishing) in `store/`, the models in `dbt_project/`, the commands in `budget_etl/`.
"""
