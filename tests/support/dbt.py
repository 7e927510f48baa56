"""dbt commands on the project from a test: their own target and log folders, so the repository's
manifest and partial-parse state stay as they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def run_dbt(
    work: Path, env: dict[str, str], *args: str, target: str = "dev"
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` on the project with `env` added to the environment; target and logs in `work`
    (target-<target>/, logs-<target>/). The caller checks the outcome."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt)] if dbt.exists() else [sys.executable, "-m", "dbt.cli.main"]
    return subprocess.run(
        [
            *command,
            *args,
            "--target",
            target,
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(work / f"target-{target}"),
            "--log-path",
            str(work / f"logs-{target}"),
        ],
        env={**os.environ, **env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=900,
    )


def dbt_build(work: Path, env: dict[str, str], target: str = "dev") -> subprocess.CompletedProcess[str]:
    """Build everything, dbt's unit tests included (the pipeline leaves them out; CI runs them here).
    Fails the test when dbt exits non-zero or a unit test did not pass."""
    target_path = work / f"target-{target}"
    proc = run_dbt(work, env, "build", target=target)
    assert proc.returncode == 0, (
        f"dbt build --target {target} failed\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    )
    results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 5 and all(r["status"] == "pass" for r in unit_tests), unit_tests
    return proc


def failed_nodes(work: Path, target: str = "dev") -> list[str]:
    """Nodes of the last build in `work` that errored, failed or warned."""
    results = json.loads((work / f"target-{target}" / "run_results.json").read_text(encoding="utf-8"))
    return [r["unique_id"] for r in results["results"] if r["status"] in ("error", "fail", "warn")]
