"""What the command line prints: aligned text tables (CJK-aware), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json")
NUMBER = (int, float, Decimal)


def display_width(text: str) -> int:
    """Terminal columns: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table; numbers right-aligned, NULL for None."""
    cells = [["NULL" if v is None else str(v) for v in row] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        any(r[i] is not None for r in rows)
        and all(isinstance(r[i], NUMBER) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
        for i in range(len(columns))
    ]

    def line(values: Sequence[str], align: Sequence[bool]) -> str:
        parts = []
        for value, width, right in zip(values, widths, align, strict=True):
            pad = " " * (width - display_width(value))
            parts.append(pad + value if right else value + pad)
        return "  ".join(parts).rstrip()

    out = [line(columns, numeric), "  ".join("-" * w for w in widths)]
    out += [line(r, numeric) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def json_value(value: Any) -> str:
    """JSON text of one value; decimals stay exact numbers (4211500.00), never floats."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, datetime | date | clock_time):
        return json.dumps(value.isoformat())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {json_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON array with one object per row, one row per line."""
    if not rows:
        return "[]"
    keys = [json.dumps(c, ensure_ascii=False) for c in columns]
    lines = [
        "{" + ", ".join(f"{k}: {json_value(v)}" for k, v in zip(keys, row, strict=True)) + "}" for row in rows
    ]
    return "[\n" + ",\n".join(lines) + "\n]"


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Rows in one of FORMATS."""
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "json":
        return to_json(columns, rows)
    return format_table(columns, rows)
