"""Extraction limits (time, memory, pages) from the environment; the `budget-etl run` flags set these."""

from __future__ import annotations

import os
from collections.abc import Mapping

from extract.isolation import Limits

MAX_PAGES_ENV = "BUDGET_MAX_PAGES"
TIMEOUT_ENV = "BUDGET_TIMEOUT_S"
MEMORY_ENV = "BUDGET_MEMORY_MB"


def _positive(environ: Mapping[str, str], name: str, kind: type[int] | type[float], default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a {'whole ' if kind is int else ''}number") from None
    if value <= 0:
        raise ValueError(f"{name}={text!r} must be positive")
    return value


def limits_from_env(environ: Mapping[str, str] | None = None) -> Limits:
    """Limits with BUDGET_MAX_PAGES / BUDGET_TIMEOUT_S / BUDGET_MEMORY_MB applied over the defaults."""
    env = os.environ if environ is None else environ
    default = Limits()
    return Limits(
        timeout_s=float(_positive(env, TIMEOUT_ENV, float, default.timeout_s)),
        memory_mb=int(_positive(env, MEMORY_ENV, int, default.memory_mb)),
        max_pages=int(_positive(env, MAX_PAGES_ENV, int, default.max_pages)),
    )
