"""The job: one run per inbox scan — scan, extract every new document in parallel, store, dbt build,
publish. Steps run in their own processes (multiprocess executor, at most one per core); a run
that only scans (nothing new) runs in process, which saves seconds. The run's own process claims
the warehouse's working copy before the steps and holds it until the run ends (holding_the_warehouse)."""

import os
from collections.abc import Iterator

from dagster import (
    AssetSelection,
    DagsterEvent,
    Executor,
    ExecutorDefinition,
    InitExecutorContext,
    define_asset_job,
    multi_or_in_process_executor,
    multiprocess_executor,
)
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode
from dagster._core.execution.step_dependency_config import StepDependencyConfig
from dagster._core.system_config.objects import ResolvedRunConfig

from dagster_project.assets.dbt import warehouse_dbt_assets
from dagster_project.assets.documents import raw_documents
from dagster_project.assets.publish import published_warehouse
from dagster_project.resources import WarehousePaths
from store.publish import Workspace

# forkserver: each step process is forked from a server that imported the code location once, so a
# step starts in a fraction of a second (spawn would import Dagster, dbt and Camelot again per
# step); the server also imports what a step needs to open the Dagster instance (step_preload).
STEP_PRELOAD = [
    "dagster._core.executor.multiprocess",
    "dagster_project.definitions",
    "dagster_project.step_preload",
]
MULTIPROCESS = {
    "max_concurrent": os.cpu_count() or 1,
    "start_method": {"forkserver": {"preload_modules": STEP_PRELOAD}},
}
# Run config of a run that only scans the inbox (`budget-etl run` and the schedule, when idle).
IN_PROCESS_RUN_CONFIG = {"execution": {"config": {"in_process": {}}}}

# The steps that claim the working copy (scan) and publish it: a run with both writes the warehouse.
SCAN_STEP = "raw_documents.scan_inbox"
PUBLISH_STEP = "published_warehouse"


class _HoldingTheWarehouse(Executor):
    """`inner`'s execution, with the working copy claimed (operations/workspace.py) for the whole run
    by the process this runs in: the one that lives as long as the run (`budget-etl run`'s, or the
    daemon's run worker). A step process could not hold it for the run: it ends with its step, and a
    kill -9 of the run process leaves steps (and the forkserver they fork from) running."""

    def __init__(self, inner: Executor) -> None:
        self._inner = inner

    @property
    def retries(self) -> RetryMode:
        return self._inner.retries

    @property
    def step_dependency_config(self) -> StepDependencyConfig:
        return self._inner.step_dependency_config

    def execute(
        self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan
    ) -> Iterator[DagsterEvent]:
        steps = set(execution_plan.step_keys_to_execute)
        if not {SCAN_STEP, PUBLISH_STEP} <= steps:  # a scan only, or a part re-executed: no claim
            yield from self._inner.execute(plan_context, execution_plan)
            return
        config = ResolvedRunConfig.build(plan_context.job.get_definition(), plan_context.run_config)
        paths = WarehousePaths(**config.resources["paths"].config)  # the steps' resource, defaults applied
        workspace = Workspace(paths.warehouse_path)
        workspace.claim(plan_context.run_id)  # WarehouseBusy (the run fails) while another run writes
        try:
            yield from self._inner.execute(plan_context, execution_plan)
        finally:
            workspace.release(plan_context.run_id, keep_copy=True)  # published, or kept for a look


def holding_the_warehouse(base: ExecutorDefinition) -> ExecutorDefinition:
    """`base` (same name and config), its executor wrapped in _HoldingTheWarehouse."""
    create = base.executor_creation_fn
    assert create is not None

    def creation(init_context: InitExecutorContext) -> Executor:
        return _HoldingTheWarehouse(create(init_context))

    return ExecutorDefinition(
        name=base.name,
        config_schema=base.config_schema,
        requirements=base.get_requirements,
        executor_creation_fn=creation,
        description=base.description,
    )


# For runs launched from the UI outside the job (Materialize …).
warehouse_executor = holding_the_warehouse(multiprocess_executor).configured(
    MULTIPROCESS, name="warehouse_executor"
)

warehouse_job = define_asset_job(
    name="warehouse_job",
    # Everything but the per-document partitions (recorded by the steps, never materialized as such).
    selection=AssetSelection.assets(raw_documents, warehouse_dbt_assets, published_warehouse),
    executor_def=holding_the_warehouse(multi_or_in_process_executor),
    config={"execution": {"config": {"multiprocess": MULTIPROCESS}}},
    description=(
        "Scan the inbox; extract new documents (worker steps in parallel, each taking the next); "
        "store them in a working copy of the warehouse; dbt build; publish the copy atomically. "
        "Skips everything when nothing is new."
    ),
)
