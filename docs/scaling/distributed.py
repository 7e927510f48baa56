"""The budget warehouse's code location with a distributed executor: the same assets, job, schedule
and sensor as dagster_project.definitions, with warehouse_job's executor swapped.

    BUDGET_EXECUTOR=celery dagster definitions validate -f docs/scaling/distributed.py
    BUDGET_EXECUTOR=k8s    dagster definitions validate -f docs/scaling/distributed.py

BUDGET_EXECUTOR: `celery` (dagster-celery: steps become Celery tasks on worker machines), `k8s`
(dagster-k8s: every step a Kubernetes Job), or `multiprocess` (the default: the job as shipped).
Executor settings (broker, image, volumes, ...) are run config: celery_run_config.yaml and
k8s_run_config.yaml beside this file. Needs `pip install -e '.[distributed]'`. See ../scaling.md.
"""

import os

from dagster import Definitions, ExecutorDefinition, define_asset_job

import dagster_project.definitions as local
from dagster_project.jobs import warehouse_job


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


def with_executor(executor: ExecutorDefinition | None) -> Definitions:
    """The local definitions with warehouse_job (and the schedule and sensor that start it) on `executor`."""
    local_defs = local.defs
    if executor is None:
        return local_defs
    job = define_asset_job(
        name=warehouse_job.name,
        selection=warehouse_job.selection,
        executor_def=executor,
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
        executor=executor,
    )


defs = with_executor(distributed_executor(os.environ.get("BUDGET_EXECUTOR", "celery")))
