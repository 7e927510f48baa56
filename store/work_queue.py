"""A run's new documents shared out among its extraction workers (dagster_project/assets/documents.py).

Every worker gets the whole list, largest file first, and extracts each file it is the first to take:
taking is creating the file's name in the run's claims folder (O_EXCL: one creator wins, also across
machines sharing the folder). So the workers stay busy until the list is done, whatever the files'
sizes, and a worker step costs its start-up once, not once per document (≈ 0.7 s of a slot per
document on this machine: benchmarks/RESULTS.md).

    <warehouse>.building.claims/<run id>/<document id>    taken by a worker of that run

The folder goes with the run's working copy (store/publish.py discards it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # no import at run time: store/publish.py (and with it dbt's plugin) imports this
    from store.plan import InboxFile

CLAIMS_SUFFIX = ".claims"


def claims_root(building: Path) -> Path:
    return building.with_name(building.name + CLAIMS_SUFFIX)


def claims_folder(building: Path, run_id: str) -> Path:
    return claims_root(building) / run_id


def largest_first(files: Iterable[InboxFile]) -> tuple[InboxFile, ...]:
    """Longest work first (size stands in for pages), so that no worker starts a big file last."""
    return tuple(sorted(files, key=lambda f: (-f.size, f.file_name)))


def take(folder: Path, document_id: str) -> bool:
    """True for the one caller that takes `document_id` (creates its claim), False for the others."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(folder / document_id, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return False
    os.close(fd)
    return True
