"""Shared fixtures: the sample renderings and their cell-level truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "real"


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((FIXTURES / "haidong_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def truth_tables(truth: dict) -> dict[str, dict]:
    return {table["kind"]: table for table in truth["tables"]}
