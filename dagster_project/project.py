"""The dbt project as Dagster sees it. Path defaults (repo, inbox, warehouse) are in paths.py."""

from dagster_dbt import DbtProject

from dagster_project.paths import DBT_PROJECT_DIR, put_venv_on_path

put_venv_on_path()

# profiles.yml sits in the project (profiles_dir = project_dir); its warehouse path comes from
# BUDGET_WAREHOUSE, which the dbt asset sets from the WarehousePaths resource.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is re-parsed on load; elsewhere `make setup` builds it.
dbt_project.prepare_if_dev()
