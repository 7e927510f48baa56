"""docs/scaling/: the distributed code location loads with each executor and its run configs validate.

Needs the optional packages (`make distributed`: dagster-celery, dagster-k8s, dagster-postgres,
pinned in requirements-distributed.lock); skipped without them. CI installs them (.ci/run).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

SCALING = Path(__file__).resolve().parents[2] / "docs" / "scaling"


@pytest.fixture(autouse=True)
def own_instance() -> Iterator[None]:
    """Loading a code location reads the definitions state of the current Dagster instance (a
    context variable); in a full test session that can still name an instance an earlier test
    closed ("Attempted to resolve undefined DagsterInstance weakref"). Each test gets its own."""
    from dagster import instance_for_test

    with instance_for_test():
        yield


EXECUTORS = {
    "celery": ("dagster_celery", "celery_run_config.yaml"),
    "k8s": ("dagster_k8s", "k8s_run_config.yaml"),
}


def load_location(executor: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("BUDGET_EXECUTOR", executor)
    spec = importlib.util.spec_from_file_location(
        f"budget_distributed_{executor}", SCALING / "distributed.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("executor", sorted(EXECUTORS))
def test_distributed_location_validates(executor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    package, run_config = EXECUTORS[executor]
    pytest.importorskip(package, reason=f"{package} not installed (make distributed)")
    from dagster import Definitions, validate_run_config

    monkeypatch.setenv("BUDGET_CELERY_BROKER", "pyamqp://guest@localhost//")
    location = load_location(executor, monkeypatch)
    Definitions.validate_loadable(location.defs)
    job = location.defs.resolve_job_def("warehouse_job")
    name = f"{executor}_or_in_process_executor"
    assert job.executor_def.name == name
    result = validate_run_config(job, yaml.safe_load((SCALING / run_config).read_text(encoding="utf-8")))
    assert executor in result["execution"][name]
    # what `budget-etl run` and the nightly schedule ask for when nothing is new
    from dagster_project.jobs import IN_PROCESS_RUN_CONFIG

    assert "in_process" in validate_run_config(job, IN_PROCESS_RUN_CONFIG)["execution"][name]
    schedules = {s.name: s.job_name for s in location.defs.schedules or []}
    assert schedules == {"nightly_warehouse": "warehouse_job"}


def test_celery_worker_config_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("dagster_celery", reason="dagster-celery not installed (make distributed)")
    from dagster_celery.cli import get_validated_config

    monkeypatch.setenv("BUDGET_CELERY_BROKER", "pyamqp://guest@localhost//")
    config = get_validated_config(str(SCALING / "celery_worker.yaml"))
    assert config["broker"]


def test_instance_config_validates() -> None:
    pytest.importorskip("dagster_postgres", reason="dagster-postgres not installed (make distributed)")
    from dagster._core.instance.config import dagster_instance_config

    config, _ = dagster_instance_config(str(SCALING))
    assert "postgres" in config["storage"]
