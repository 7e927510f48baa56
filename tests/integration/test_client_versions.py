"""The published warehouse opens in the DuckDB clients analysts already use (DuckDB 1.4 LTS and later).

Each client pinned in requirements-clients.lock is installed from the package registry into its own
virtual environment under .venv-clients/ (kept between runs: created once per machine or CI job;
skipped with the reason when pip cannot install it) and runs every example query of
docs/analysts.md on the sample warehouse, read-only. Its answers must be the project's DuckDB's:
the Python clients' values and column types (DECIMAL stays DECIMAL), the CLI's CSV output.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from store.duckdb_format import STORAGE_VERSION
from tests.integration.test_readme_queries import EXAMPLES

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CLIENTS_DIR = REPO / ".venv-clients"
PINS = [
    line.strip()
    for line in (REPO / "requirements-clients.lock").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]
QUERIES = [sql for sql, _answer in EXAMPLES]

# Run by each Python client (and by the project's own DuckDB): every query's column types and values.
PYTHON_CLIENT = """
import json, sys
import duckdb
warehouse, queries = json.load(sys.stdin)
con = duckdb.connect(warehouse, read_only=True)
answers = []
for sql in queries:
    types = [[row[0], row[1]] for row in con.execute("describe " + sql).fetchall()]
    rows = [[repr(value) for value in row] for row in con.execute(sql).fetchall()]
    answers.append({"types": types, "rows": rows})
con.close()
print(json.dumps({"version": duckdb.__version__, "answers": answers}))
"""


def _client_venv(pin: str) -> Path:
    """The venv holding `pin` alone, created on first use; skips the test when pip cannot install it."""
    venv = CLIENTS_DIR / pin.replace("==", "-")
    marker = venv / ".installed"  # written last: a half-made venv is made again
    if marker.is_file() and marker.read_text(encoding="utf-8") == pin:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + ["--timeout", "20", "--retries", "1", pin],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if install.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        reason = (install.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"could not install {pin} from the package registry: {reason}")
    marker.write_text(pin, encoding="utf-8")
    return venv


def _python_answers(python: Path, warehouse: Path) -> dict:
    proc = subprocess.run(
        [str(python), "-c", PYTHON_CLIENT],
        input=json.dumps([str(warehouse), QUERIES]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"{python} could not query {warehouse}:\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout)


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def reference(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project's own DuckDB's answers: Python values and types, and CSV as DuckDB writes it."""
    answers = _python_answers(Path(sys.executable), sample_warehouse)
    out = tmp_path_factory.mktemp("reference") / "answer.csv"
    csv_answers = []
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        for sql in QUERIES:
            con.execute(f"copy ({sql}) to '{out}' (format csv, header)")
            csv_answers.append(_csv_rows(out.read_text(encoding="utf-8")))
    return {**answers, "csv": csv_answers}


def test_the_warehouse_is_written_in_the_clients_format(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        tag = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    assert tag == (f"{STORAGE_VERSION}+",)


def test_the_lock_pins_the_oldest_supported_clients() -> None:
    assert "duckdb==1.4.4" in PINS, "DuckDB 1.4 LTS is the oldest client the docs promise"
    assert all("==" in pin for pin in PINS), PINS


@pytest.mark.parametrize("pin", PINS)
def test_client_answers_the_guide_queries_like_the_project(
    pin: str, sample_warehouse: Path, reference: dict
) -> None:
    venv = _client_venv(pin)
    package, version = pin.split("==")
    if package == "duckdb":
        got = _python_answers(venv / "bin" / "python", sample_warehouse)
        assert got["version"] == version
        for sql, mine, theirs in zip(QUERIES, reference["answers"], got["answers"], strict=True):
            assert theirs == mine, f"duckdb {version} answers differently:\n{sql}"
    elif package == "duckdb-cli":
        for sql, mine in zip(QUERIES, reference["csv"], strict=True):
            proc = subprocess.run(
                [str(venv / "bin" / "duckdb"), "-readonly", "-csv", str(sample_warehouse), "-c", sql],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert proc.returncode == 0, f"the duckdb {version} CLI failed on:\n{sql}\n{proc.stderr}"
            assert _csv_rows(proc.stdout) == mine, f"the duckdb {version} CLI answers differently:\n{sql}"
    else:
        pytest.fail(f"requirements-clients.lock: no way to run {pin}")
