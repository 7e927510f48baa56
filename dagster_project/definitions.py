"""The code location: `dagster dev -w workspace.yaml` and `budget-etl` both load `defs`."""

from dagster import Definitions, JobDefinition

from dagster_project.assets.dbt import warehouse_dbt_assets
from dagster_project.assets.documents import inbox_document, raw_documents
from dagster_project.assets.publish import published_warehouse
from dagster_project.jobs import warehouse_executor, warehouse_job
from dagster_project.resources import default_resources
from dagster_project.schedules import nightly_warehouse
from dagster_project.sensors import inbox_sensor

defs = Definitions(
    assets=[inbox_document, raw_documents, warehouse_dbt_assets, published_warehouse],
    jobs=[warehouse_job],
    schedules=[nightly_warehouse],
    sensors=[inbox_sensor],
    resources=default_resources(),
    executor=warehouse_executor,
)


def get_warehouse_job() -> JobDefinition:
    """For `reconstructable()`: `budget-etl run` executes the job with its multiprocess executor."""
    return defs.resolve_job_def("warehouse_job")
