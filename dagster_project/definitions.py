"""The code location: `dagster dev -w workspace.yaml` and `budget-etl` both load `defs`."""

from dagster import Definitions

from dagster_project.assets.dbt import warehouse_dbt_assets
from dagster_project.assets.documents import raw_documents
from dagster_project.jobs import warehouse_job
from dagster_project.resources import default_resources
from dagster_project.schedules import nightly_warehouse

defs = Definitions(
    assets=[raw_documents, warehouse_dbt_assets],
    jobs=[warehouse_job],
    schedules=[nightly_warehouse],
    # sensors=[...]: the inbox sensor arrives in a later issue.
    resources=default_resources(),
)
