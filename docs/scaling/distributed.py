"""The budget warehouse's code location with a distributed executor: the same assets, job, schedule
and sensor as dagster_project.definitions, with warehouse_job's executor swapped.

    BUDGET_EXECUTOR=celery dagster definitions validate -f docs/scaling/distributed.py
    BUDGET_EXECUTOR=k8s    dagster definitions validate -f docs/scaling/distributed.py

BUDGET_EXECUTOR: `celery` (dagster-celery: steps become Celery tasks on worker machines), `k8s`
(dagster-k8s: every step a Kubernetes Job), or `multiprocess` (the job as shipped).

Like the shipped job (multi_or_in_process_executor), the executor has two modes, chosen by run
config: `execution: config: {celery: {...}}` (or `k8s: {...}`) distributes the steps, `in_process`
runs them in the run's own process — what `budget-etl run` and the nightly schedule ask for when
nothing is new (a scan only: no worker needs to wake up). Executor settings (broker, image,
volumes, ...) are in celery_run_config.yaml and k8s_run_config.yaml beside this file. Needs
`pip install -e '.[distributed]'`. See ../scaling.md.
"""

import os
from typing import Any

from dagster import (
    Definitions,
    ExecutorDefinition,
    Field,
    InitExecutorContext,
    Selector,
    define_asset_job,
    executor,
    in_process_executor,
)

import dagster_project.definitions as local
from dagster_project.jobs import holding_the_warehouse, warehouse_job


def distributed_executor(name: str) -> ExecutorDefinition | None:
    if name == "celery":
        from dagster_celery import celery_executor

        return celery_executor
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if name == "multiprocess":
        return None
    raise ValueError(f"BUDGET_EXECUTOR must be celery, k8s or multiprocess, not {name!r}")


def or_in_process(distributed: ExecutorDefinition, mode: str) -> ExecutorDefinition:
    """`distributed` under run config key `mode`, or the in-process executor under `in_process`."""

    def branch(config: dict[str, Any]) -> tuple[ExecutorDefinition, dict[str, Any]]:
        if "in_process" in config:
            return in_process_executor, config["in_process"]
        return distributed, config[mode]

    def requirements(config: dict[str, Any]) -> Any:
        definition, sub_config = branch(config)
        return definition.get_requirements(sub_config)

    @executor(
        name=f"{mode}_or_in_process_executor",
        config_schema=Field(
            Selector(
                {
                    mode: distributed.config_schema.as_field(),
                    "in_process": in_process_executor.config_schema.as_field(),
                }
            ),
            default_value={mode: {}},
        ),
        requirements=requirements,
    )
    def _executor(init_context: InitExecutorContext) -> Any:
        definition, sub_config = branch(init_context.executor_config)
        return definition.executor_creation_fn(  # type: ignore[misc]
            InitExecutorContext(
                job=init_context.job,
                executor_def=definition,
                executor_config=sub_config,
                instance=init_context.instance,
            )
        )

    return _executor


def with_executor(executor_def: ExecutorDefinition | None) -> Definitions:
    """The local definitions with warehouse_job (and the schedule and sensor that start it) on
    `executor_def`."""
    local_defs = local.defs
    if executor_def is None:
        return local_defs
    job = define_asset_job(
        name=warehouse_job.name,
        selection=warehouse_job.selection,
        executor_def=executor_def,
        description=warehouse_job.description,
        tags=warehouse_job.tags,
        run_tags=warehouse_job.run_tags,
        hooks=warehouse_job.hooks,
        op_retry_policy=warehouse_job.op_retry_policy,
    )
    return Definitions(
        assets=local_defs.assets,
        jobs=[job],
        schedules=[s.with_updated_job(job) for s in local_defs.schedules or []],
        sensors=[s.with_updated_job(job) for s in local_defs.sensors or []],
        resources=local_defs.resources,
        executor=executor_def,
    )


def location(name: str) -> Definitions:
    distributed = distributed_executor(name)
    if distributed is None:
        return with_executor(None)
    # The run's process (the run worker) claims the warehouse for the run, as with the shipped job.
    return with_executor(holding_the_warehouse(or_in_process(distributed, name)))


defs = location(os.environ.get("BUDGET_EXECUTOR", "celery"))
