"""The dbt project's layout rules (issue 15): one severity catalog, no repeated configuration,
reference data that does not look like a model, no SQL file over 400 lines.

The severity checks read the manifest of a fresh `dbt parse` into a temporary target (the
repository's dbt_project/target is left alone) and compare it with the catalog as written in
macros/identities/_catalog.sql."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
CATALOG = DBT_PROJECT / "macros" / "identities" / "_catalog.sql"
ENTRY = re.compile(r"\{'name': '(\w+)', 'severity': '(\w+)', 'model': '(\w+)'\}")
MAX_SQL_LINES = 400
Catalog = dict[str, tuple[str, str]]  # identity -> (severity, model)


def identity_catalog() -> Catalog:
    """identity -> (severity, model), read from the `identity_catalog()` macro's source."""
    entries = ENTRY.findall(CATALOG.read_text(encoding="utf-8"))
    catalog = {name: (severity, model) for name, severity, model in entries}
    assert len(catalog) == len(entries) >= 29, "catalog entries not found or repeated"
    return catalog


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("dbt_parse")
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt)] if dbt.exists() else [sys.executable, "-m", "dbt.cli.main"]
    proc = subprocess.run(
        [
            *command,
            "parse",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        env={
            **os.environ,
            "BUDGET_WAREHOUSE": str(work / "w.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"dbt parse failed\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"
    return json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))


def identity_tests(manifest: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(identity, configured severity, model it is attached to) of every accounting_identity test."""
    tests = []
    for node in manifest["nodes"].values():
        if node.get("test_metadata", {}).get("name") != "accounting_identity":
            continue
        model = node["attached_node"].split(".")[-1]
        tests.append((node["test_metadata"]["kwargs"]["identity"], node["config"]["severity"].lower(), model))
    return sorted(tests)


def catalog_disagreements(tests: list[tuple[str, str, str]], catalog: Catalog) -> list[str]:
    """Every way the tests and the catalog disagree; [] when each identity has exactly one test,
    on the catalog's model, with the catalog's severity."""
    problems = []
    for identity in sorted(catalog):
        count = sum(1 for name, _, _ in tests if name == identity)
        if count != 1:
            problems.append(f"{identity}: {count} accounting_identity tests")
    for identity, severity, model in tests:
        if identity not in catalog:
            problems.append(f"{identity}: tested but not in the catalog")
            continue
        want_severity, want_model = catalog[identity]
        if severity != want_severity:
            problems.append(f"{identity}: test severity {severity}, catalog {want_severity}")
        if model != want_model:
            problems.append(f"{identity}: test on {model}, catalog {want_model}")
    return problems


def test_every_identity_test_has_the_catalog_severity(manifest: dict[str, Any]) -> None:
    tests = identity_tests(manifest)
    assert catalog_disagreements(tests, identity_catalog()) == []
    assert {severity for _, severity, _ in tests} == {"error", "warn"}


def test_a_disagreement_with_the_catalog_is_caught(manifest: dict[str, Any]) -> None:
    """The comparison above can fail: a yml severity override, a missing or doubled test."""
    tests = identity_tests(manifest)
    catalog = identity_catalog()
    identity, severity, model = next(t for t in tests if t[1] == "warn")
    flipped = [(i, "error" if i == identity else s, m) for i, s, m in tests]
    assert catalog_disagreements(flipped, catalog) == [f"{identity}: test severity error, catalog warn"]
    assert catalog_disagreements([t for t in tests if t[0] != identity], catalog) == [
        f"{identity}: 0 accounting_identity tests"
    ]
    assert catalog_disagreements([*tests, (identity, severity, model)], catalog) == [
        f"{identity}: 2 accounting_identity tests"
    ]


def test_identity_severity_is_set_nowhere_but_the_catalog() -> None:
    """No yml `config: severity:` on an accounting_identity test (the test takes the catalog's)."""
    repeated = []
    for path in (DBT_PROJECT / "models").rglob("*.yml"):
        blocks = re.split(r"\n\s+- (?=\w+:?\n)", path.read_text(encoding="utf-8"))
        repeated += [str(path) for b in blocks if b.startswith("accounting_identity") and "severity" in b]
    assert repeated == []


def test_no_model_repeats_its_folder_contract(manifest: dict[str, Any]) -> None:
    """Contracts are enforced by folder (dbt_project.yml: marts, audit), never again per model."""
    project = (DBT_PROJECT / "dbt_project.yml").read_text(encoding="utf-8")
    assert re.search(r"marts:\n(?:\s+[#+].*\n)*?\s+\+contract:\n\s+enforced: true", project)
    assert re.search(r"audit:\n(?:\s+[#+].*\n)*?\s+\+contract:\n\s+enforced: true", project)
    # rpt_document_status.yml is left to the status redesign (issue 15, deliverable 2).
    repeats = [
        str(path)
        for path in (DBT_PROJECT / "models").rglob("*.yml")
        if re.search(r"^\s+contract:", path.read_text(encoding="utf-8"), re.M)
        and path.name != "rpt_document_status.yml"
    ]
    assert repeats == []
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["fqn"][1] in ("marts", "audit"):
            assert node["config"]["contract"]["enforced"], node["name"]


def test_reference_data_is_seeded_apart_and_served_by_dim_models(manifest: dict[str, Any]) -> None:
    seeds = [n for n in manifest["nodes"].values() if n["resource_type"] == "seed"]
    assert seeds and all(n["schema"] == "reference" and not n["name"].startswith("dim_") for n in seeds)
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for seed in seeds:
        readers = [m for m in models.values() if seed["unique_id"] in m["depends_on"]["nodes"]]
        dims = [m for m in readers if m["name"].startswith("dim_") and m["schema"] == "marts"]
        assert len(dims) == 1, seed["name"]
        assert list(dims[0]["columns"]) == list(seed["columns"]), seed["name"]


def test_no_sql_file_over_400_lines() -> None:
    long = {
        str(path.relative_to(DBT_PROJECT)): n
        for path in DBT_PROJECT.rglob("*.sql")
        if not path.is_relative_to(DBT_PROJECT / "target")
        and not path.is_relative_to(DBT_PROJECT / "dbt_packages")
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_SQL_LINES
    }
    assert long == {}
