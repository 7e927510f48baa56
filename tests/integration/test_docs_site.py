"""`budget-etl docs` on the sample warehouse: everything described (manifest), the catalog matches the
described columns, and the served site works in a real headless Chromium (navigation, lineage graph,
screenshots under the test's tmp folder)."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import browser

pytestmark = pytest.mark.slow

BUDGET_ETL = Path(sys.executable).parent / "budget-etl"
PROJECT = "budget_warehouse"
RPT_MODELS = {
    "rpt_spending_by_function",
    "rpt_basic_cost_structure",
    "rpt_three_public_costs_change",
    "rpt_document_status",
}


@pytest.fixture(scope="module")
def docs_dir(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs_site")
    proc = subprocess.run(
        [str(BUDGET_ETL), "docs", "--warehouse", str(sample_warehouse), "--target-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"budget-etl docs failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    # Progress with times on stderr, the site on stdout.
    assert re.search(r"\[2/3\] dbt docs generate: \d+\.\d s", proc.stderr), proc.stderr
    assert f"Docs site: {out / 'index.html'}" in proc.stdout
    return out


@pytest.fixture(scope="module")
def manifest(docs_dir: Path) -> dict[str, Any]:
    return json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))


def marts_nodes(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Models and seeds in the marts schema (the analysts' tables)."""
    return [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] in ("model", "seed") and n["package_name"] == PROJECT and n["schema"] == "marts"
    ]


def undocumented(nodes: Any) -> list[str]:
    missing = []
    for n in nodes:
        if not (n.get("description") or "").strip():
            missing.append(n["unique_id"])
        columns = n["columns"].items()
        missing += [f"{n['unique_id']}.{c}" for c, col in columns if not col["description"].strip()]
    return missing


def test_every_marts_model_and_column_is_described(manifest: dict[str, Any]) -> None:
    nodes = marts_nodes(manifest)
    names = {n["name"] for n in nodes}
    assert RPT_MODELS <= names and {"fct_expenditure", "dim_department"} <= names
    assert all(n["columns"] for n in nodes), "a marts table without documented columns"
    assert undocumented(nodes) == []


def test_every_model_seed_source_and_custom_test_is_described(manifest: dict[str, Any]) -> None:
    ours = [n for n in manifest["nodes"].values() if n["package_name"] == PROJECT]
    assert undocumented(n for n in ours if n["resource_type"] in ("model", "seed")) == []
    assert undocumented(manifest["sources"].values()) == []
    unit_tests = manifest.get("unit_tests", {}).values()
    assert [u["name"] for u in unit_tests if not (u.get("description") or "").strip()] == []
    macros = [m for m in manifest["macros"].values() if m["package_name"] == PROJECT]
    assert [m["name"] for m in macros if not m["description"].strip()] == []  # generic tests included


def test_catalog_has_no_undocumented_column(docs_dir: Path, manifest: dict[str, Any]) -> None:
    """The real tables (catalog of the warehouse) have exactly the documented columns."""
    catalog = json.loads((docs_dir / "catalog.json").read_text(encoding="utf-8"))
    for node in marts_nodes(manifest):
        entry = catalog["nodes"].get(node["unique_id"])
        assert entry is not None, f"{node['name']} is not in the warehouse"
        real = {c.lower() for c in entry["columns"]}
        assert real == {c.lower() for c in node["columns"]}, node["name"]


def test_overview_page_and_exposures(manifest: dict[str, Any]) -> None:
    overview = manifest["docs"][f"doc.{PROJECT}.__overview__"]["block_contents"]
    for topic in ("star schema", "identities", "quarantined", "accepted", "rejected", "superseded", "marts"):
        assert topic in overview
    exposures = manifest["exposures"].values()
    used = {ref.split(".")[-1] for e in exposures for ref in e["depends_on"]["nodes"]}
    assert RPT_MODELS <= used
    assert all(e["description"].strip() and e["type"] == "analysis" for e in exposures)


# ---------------------------------------------------------------- the site in a browser

# The lineage graph is drawn by cytoscape on a canvas: ask the graph itself for its node labels.
GRAPH_LABELS_JS = """
new Promise((resolve) => {
  const started = Date.now();
  const poll = () => {
    const container = document.getElementById('cy');
    const cy = container && container._cyreg && container._cyreg.cy;
    const labels = cy ? cy.nodes().map((node) => node.data('label')) : [];
    if (labels.length || Date.now() - started > 30000) resolve(labels); else setTimeout(poll, 200);
  };
  poll();
})
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = browser.find_chromium()
    if path is None:
        pytest.skip("headless Chromium not found: `make browser` installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def site_url(docs_dir: Path) -> Iterator[str]:
    """`budget-etl docs --serve` in its own process group (killed with SIGKILL: it may ignore SIGTERM)."""
    proc = subprocess.Popen(
        [str(BUDGET_ETL), "docs", "--serve", "--no-generate", "--port", "0", "--target-dir", str(docs_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield read_url(proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def read_url(proc: subprocess.Popen[str], timeout_s: float = 60) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if selector.select(timeout=1):
            line = proc.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if match:
                return match.group(0)
            assert line, "budget-etl docs --serve exited before serving"
    raise AssertionError("budget-etl docs --serve printed no URL")


def assert_picture(png: Path) -> Any:
    from PIL import Image

    assert png.exists() and png.stat().st_size > 20_000, f"no real screenshot at {png}"
    image = Image.open(png).convert("RGB")
    assert image.size == (1600, 1000)
    colours = image.resize((160, 100)).getcolors(maxcolors=100_000) or []
    assert len(colours) > 50, "the screenshot is (nearly) blank"
    return image


def marts_models(manifest: dict[str, Any]) -> list[str]:
    return sorted(n["name"] for n in marts_nodes(manifest) if n["resource_type"] == "model")


def test_navigation_lists_the_marts(
    chromium: str, site_url: str, manifest: dict[str, Any], tmp_path: Path
) -> None:
    page = f"{site_url}#!/model/model.{PROJECT}.rpt_three_public_costs_change"
    dom = browser.dump_dom(chromium, tmp_path / "profile", page)
    missing = [m for m in marts_models(manifest) if f'data-nav-unique-id="model.{PROJECT}.{m}"' not in dom]
    assert missing == [], f"marts models missing from the rendered navigation: {missing}"
    assert "Exposures" in dom and "spending_by_function" in dom
    # The model page itself rendered: its description and a documented column.
    assert "三公" in dom and "change_pct" in dom

    png = browser.screenshot(chromium, tmp_path / "profile", page, tmp_path / "docs_site_marts.png")
    assert_picture(png)


def test_lineage_graph_shows_the_marts(
    chromium: str, site_url: str, manifest: dict[str, Any], tmp_path: Path
) -> None:
    page = f"{site_url}#!/overview?g_v=1&g_i=path:models/marts"
    dom = browser.dump_dom(chromium, tmp_path / "profile", page)
    assert "Lineage Graph" in dom
    assert re.search(r"cytoscape_container.*?<canvas", dom, re.DOTALL), "the lineage graph did not render"
    labels = browser.evaluate(chromium, tmp_path / "profile", page, GRAPH_LABELS_JS)
    missing = [m for m in marts_models(manifest) if m not in labels]
    assert missing == [], f"marts models missing from the lineage graph: {missing} (graph: {labels})"

    png = browser.screenshot(chromium, tmp_path / "profile", page, tmp_path / "docs_site_lineage.png")
    image = assert_picture(png)
    # The graph's nodes are drawn in dbt's teal on its dark blue background: count them roughly.
    data = image.resize((400, 250)).tobytes()
    teal = sum(1 for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True) if r < 60 < 140 < g < b)
    assert teal > 1000, "no graph nodes in the lineage screenshot"
