"""The dbt project as Dagster sees it. Path defaults (repo, inbox, warehouse) are in paths.py."""

from dagster_dbt import DbtProject

from store.paths import (
    DBT_PROJECT_DIR,
    WAREHOUSE_ENV,
    dbt_sources,
    environment,
    put_venv_on_path,
    warehouse_path,
)
from store.publish import building_path

put_venv_on_path()

# profiles.yml sits in the project (profiles_dir = project_dir); its warehouse path comes from
# BUDGET_WAREHOUSE, which the dbt asset sets from the WarehousePaths resource.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    return any(path.stat().st_mtime > built for path in dbt_sources(project.project_dir))


# The Dagster assets come from the manifest: re-parse when a dbt file is newer (`make setup` does
# the same), and always under `dagster dev`, so `budget-etl run` never builds from a stale one.
# dbt builds a run's working copy (<warehouse>.building): parsing with that path keeps the saved
# partial-parse state valid for the run's `dbt build` (dbt re-parses fully when the profile changes).
if dbt_project.preparer.using_dagster_dev() or manifest_is_stale(dbt_project):
    with environment(WAREHOUSE_ENV, str(building_path(warehouse_path()))):
        dbt_project.preparer.prepare(dbt_project)
