"""Resources: where the inbox and the warehouse are, and the dbt CLI."""

from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource

from dagster_project.paths import default_inbox, default_warehouse
from dagster_project.project import dbt_project


class WarehousePaths(ConfigurableResource):
    """The inbox folder of PDFs and the DuckDB warehouse file (absolute paths)."""

    inbox: str
    warehouse: str

    @property
    def inbox_path(self) -> Path:
        return Path(self.inbox).resolve()

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse).resolve()


def default_resources() -> dict[str, object]:
    # Read the environment when Definitions are built, so BUDGET_INBOX/BUDGET_WAREHOUSE
    # set by `budget-etl run` (or the shell) apply; the launchpad can still override them.
    return {
        "paths": WarehousePaths(inbox=str(default_inbox()), warehouse=str(default_warehouse())),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
