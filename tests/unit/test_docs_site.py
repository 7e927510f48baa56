"""`budget-etl docs`: usage, the snapshot it generates from, and the static server (127.0.0.1 only)."""

from __future__ import annotations

import argparse
import threading
import urllib.request
from pathlib import Path

import pytest

from budget_etl.docs_site import HOST, make_server, port_number, snapshot
from budget_etl.main import main


def test_port_numbers() -> None:
    assert port_number("0") == 0 and port_number("8080") == 8080
    for bad in ("-1", "65536", "http"):
        with pytest.raises(argparse.ArgumentTypeError):
            port_number(bad)


def test_no_generate_needs_serve(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["docs", "--no-generate"])
    assert exc.value.code == 2


def test_bad_port_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["docs", "--serve", "--port", "99999"])
    assert exc.value.code == 2


def test_serving_a_missing_site_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--serve", "--no-generate", "--target-dir", str(tmp_path / "none")]) == 1
    assert "run `budget-etl docs` first" in capsys.readouterr().err


def test_docs_without_warehouse_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["docs", "--warehouse", str(missing), "--target-dir", str(tmp_path / "site")]) == 1
    assert "no warehouse" in capsys.readouterr().err
    assert not missing.exists()


def test_snapshot_keeps_the_file_name_and_wal(tmp_path: Path) -> None:
    warehouse = tmp_path / "budget.duckdb"
    warehouse.write_bytes(b"db")
    (tmp_path / "budget.duckdb.wal").write_bytes(b"wal")
    copy = snapshot(warehouse, tmp_path / "snap")
    assert copy == tmp_path / "snap" / "budget.duckdb" and copy.read_bytes() == b"db"
    assert (tmp_path / "snap" / "budget.duckdb.wal").read_bytes() == b"wal"


def test_server_binds_loopback_and_serves_the_site(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html>dbt docs</html>", encoding="utf-8")
    with make_server(tmp_path, 0) as server:
        host, port = server.server_address[:2]
        assert host == HOST == "127.0.0.1"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                assert response.read() == b"<html>dbt docs</html>"
        finally:
            server.shutdown()
            thread.join(timeout=10)
