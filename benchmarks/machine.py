"""What every benchmark report states: the machine, its load, and where the repository is."""

import contextlib
import os
import platform
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
DEFAULT_REAL = REPO.parent / "shared" / "real"
STAGES = ("classify", "camelot", "parse", "load")


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {python}"


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())
