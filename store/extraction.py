"""Extracting one inbox file: `store.ingest.prepare` on a private copy, in a child process.

`prepare` already runs the parsers in a forked child with time and memory limits; its cheap
checks (pdfium opening the file) run in the calling process, though. Running the whole call in
one more child means that nothing a PDF does — an exception, a segfault, the memory limit —
can take the Dagster step down: every file ends with a `Prepared`, a rejection at worst.
"""

from __future__ import annotations

import multiprocessing
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.inbox import NotRegularFile, open_regular
from extract.isolation import Limits, address_space_bytes
from extract.pdf.document import sha256_of
from store.ingest import Prepared, prepare
from store.plan import InboxFile

# prepare() enforces limits.timeout_s on the extraction; the cheap checks before it get this much more.
CHECKS_GRACE_S = 60.0


@dataclass(frozen=True)
class PreparedFile:
    """An inbox file after extraction: `prepared.reason` is None when it can be loaded.

    `changed` means the file's bytes were no longer those the run planned for: nothing is
    recorded for it, the next run picks up the new bytes.
    """

    file: InboxFile
    prepared: Prepared
    seconds: float
    changed: bool = False


def _child(conn: Any, path: Path, limits: Limits) -> None:
    # Like extract.isolation: the limit is on what the checks may add to the inherited address space.
    # Only the soft limit: the hard one stays, so that prepare()'s own child can set its limit.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = address_space_bytes() + limits.memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    try:
        conn.send(prepare(path, limits))
    except MemoryError:
        conn.send(Prepared(None, f"memory limit of {limits.memory_mb} MB exceeded"))
    except BaseException as error:  # noqa: BLE001 - every failure becomes the file's rejection
        conn.send(Prepared(None, f"unexpected error while reading the PDF ({type(error).__name__}: {error})"))
    finally:
        conn.close()


def prepare_in_child(path: Path, limits: Limits) -> Prepared:
    """`prepare(path, limits)` in a forked child; a child that dies or hangs is a rejection too."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # Not a daemon: prepare() starts its own (daemonic) child for the extraction.
    process = context.Process(target=_child, args=(sender, path, limits), daemon=False)
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout_s + CHECKS_GRACE_S):
            return Prepared(None, f"extraction exceeded the time limit of {limits.timeout_s:g} s")
        try:
            return receiver.recv()
        except EOFError:
            process.join(timeout=5)
            return Prepared(
                None,
                f"extraction process died (exit code {process.exitcode}); memory limit {limits.memory_mb} MB",
            )
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()


def extract_file(file: InboxFile, limits: Limits) -> PreparedFile:
    """Extract a private copy of the file, after checking it still holds the planned bytes."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="budget-extract-") as tmp:
        copy = Path(tmp) / file.file_name  # same name: raw.documents records it
        try:
            with open_regular(Path(file.path)) as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target)
        except FileNotFoundError:
            return PreparedFile(file, Prepared(None, "file disappeared"), time.monotonic() - started, True)
        except NotRegularFile as error:  # swapped for a link or a FIFO since the scan: never followed
            reason = f"no longer a regular file ({error.strerror})"
            return PreparedFile(file, Prepared(None, reason), time.monotonic() - started, True)
        if sha256_of(copy) != file.sha256:
            return PreparedFile(file, Prepared(None, "file changed"), time.monotonic() - started, True)
        prepared = prepare_in_child(copy, limits)
    return PreparedFile(file, prepared, time.monotonic() - started)
