"""Resources: where the inbox and the warehouse are, the extraction limits, and the dbt CLI."""

import importlib.metadata
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource
from packaging import version

from dagster_project.project import dbt_project
from extract.isolation import Limits
from store.limits import limits_from_env
from store.paths import inbox_path, warehouse_path


class WarehousePaths(ConfigurableResource):
    """The inbox folder of PDFs and the DuckDB warehouse file (absolute paths)."""

    inbox: str
    warehouse: str

    @property
    def inbox_path(self) -> Path:
        return Path(self.inbox).resolve()

    @property
    def warehouse_path(self) -> Path:
        return warehouse_path(self.warehouse)  # absolute, the link itself (never resolved)


class ExtractionLimits(ConfigurableResource):
    """Per-document limits for untrusted PDFs (BUDGET_TIMEOUT_S, BUDGET_MEMORY_MB, BUDGET_MAX_PAGES)."""

    timeout_s: float
    memory_mb: int
    max_pages: int

    @property
    def limits(self) -> Limits:
        return Limits(timeout_s=self.timeout_s, memory_mb=self.memory_mb, max_pages=self.max_pages)


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's CLI resource without two start-up costs this project has no use for (≈4.5 s a
    run on 2 cores, benchmarks/RESULTS.md): `dbt --version` in a subprocess, to learn the version
    of the `dbt` executable, which is this environment's pinned dbt-core; and an in-process dbt
    adapter, which dagster-dbt only uses to fetch row counts and column metadata (not asked for)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def default_resources() -> dict[str, object]:
    # Read the environment when Definitions are built, so BUDGET_* set by `budget-etl run` (or the
    # shell) apply; the launchpad can still override them.
    limits = limits_from_env()
    return {
        "paths": WarehousePaths(inbox=str(inbox_path()), warehouse=str(warehouse_path())),
        "limits": ExtractionLimits(
            timeout_s=limits.timeout_s, memory_mb=limits.memory_mb, max_pages=limits.max_pages
        ),
        "dbt": WarehouseDbtCliResource(project_dir=dbt_project),
    }
