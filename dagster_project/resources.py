"""Resources: where the inbox and the warehouse are, the extraction limits, and the dbt CLI."""

from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource

from dagster_project.operations.limits import limits_from_env
from dagster_project.paths import default_inbox, default_warehouse
from dagster_project.project import dbt_project
from extract.isolation import Limits


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


class ExtractionLimits(ConfigurableResource):
    """Per-document limits for untrusted PDFs (BUDGET_TIMEOUT_S, BUDGET_MEMORY_MB, BUDGET_MAX_PAGES)."""

    timeout_s: float
    memory_mb: int
    max_pages: int

    @property
    def limits(self) -> Limits:
        return Limits(timeout_s=self.timeout_s, memory_mb=self.memory_mb, max_pages=self.max_pages)


def default_resources() -> dict[str, object]:
    # Read the environment when Definitions are built, so BUDGET_* set by `budget-etl run` (or the
    # shell) apply; the launchpad can still override them.
    limits = limits_from_env()
    return {
        "paths": WarehousePaths(inbox=str(default_inbox()), warehouse=str(default_warehouse())),
        "limits": ExtractionLimits(
            timeout_s=limits.timeout_s, memory_mb=limits.memory_mb, max_pages=limits.max_pages
        ),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
