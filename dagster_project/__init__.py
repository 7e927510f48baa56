"""Dagster wiring for the budget warehouse: definitions, assets, jobs, schedules, sensors, resources.

Only orchestration lives here: extraction is in `extract/`, the warehouse side (loading,
planning, publishing) in `store/`, the models in `dbt_project/`, the commands in `budget_etl/`.
"""

from dagster_project.sqlite_commits import relax_sqlite_commits

# Before any Dagster storage opens in this process (CLI, step server, code server, run worker).
relax_sqlite_commits()
