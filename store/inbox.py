"""What an inbox holds: regular files named *.pdf, never reached through a symbolic link.

Anything else named *.pdf (a symbolic link, a FIFO, a device, a folder) is not read at all, and
a file whose name is not valid UTF-8 is not loaded: both are reported by name (escaped) with the
reason. Files are later opened with extract.pdf.files.open_regular (O_NOFOLLOW, checked again on
the open descriptor), so a file swapped for a link (or a FIFO) after the listing is refused too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from extract.names import is_valid_utf8, shown
from extract.pdf.files import kind_problem

SKIPPED = "skipped"  # not a regular file: not read
REJECTED = "rejected"  # a regular file that cannot be loaded under its name


@dataclass(frozen=True)
class Listed:
    """A regular file in the inbox, as lstat saw it."""

    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Refused:
    """An inbox entry that is not read: `name` escaped (never a surrogate), `status` skipped or
    rejected, `reason` in words."""

    name: str
    status: str
    reason: str


@dataclass(frozen=True)
class Listing:
    files: tuple[Listed, ...]  # in name order
    refused: tuple[Refused, ...]  # in name order


def _is_pdf_name(name: str) -> bool:
    return Path(name).suffix.lower() == ".pdf"


def list_inbox(inbox: Path) -> Listing:
    """The inbox's entries named *.pdf, directly in the folder: regular files, and the others with
    why they are not read. Entries that vanish while we look are left out."""
    if not inbox.is_dir():
        return Listing((), ())
    files: list[Listed] = []
    refused: list[Refused] = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if not _is_pdf_name(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            problem = kind_problem(info.st_mode)
            if problem is not None:
                refused.append(Refused(shown(entry.name), SKIPPED, problem))
            elif not is_valid_utf8(entry.name):
                refused.append(Refused(shown(entry.name), REJECTED, "file name is not valid UTF-8"))
            else:
                files.append(Listed(inbox / entry.name, info.st_size, info.st_mtime_ns))
    return Listing(
        tuple(sorted(files, key=lambda f: f.path.name)), tuple(sorted(refused, key=lambda r: r.name))
    )
