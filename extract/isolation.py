"""Running extraction of an untrusted PDF in a child process with time and memory limits.

A PDF is only ever parsed (pdfium, Camelot), never executed; still, a crafted or
huge file can make a parser spin or swallow memory. The child gets an address
space limit, the parent a deadline after which it kills the child. The child may tell the parent
how far it got (`report`): a timeout or a crash then carries what it last said (`progress`).
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 300.0
    memory_mb: int = 2048
    max_pages: int = 500


class IsolationFailed(Exception):
    """The child gave no result; `progress` is what it last reported (None if nothing)."""

    def __init__(self, message: str, progress: Any = None) -> None:
        super().__init__(message)
        self.progress = progress


class ExtractionTimeout(IsolationFailed):
    """The child did not finish within the time limit and was killed."""


class ExtractionCrashed(IsolationFailed):
    """The child died (memory limit, a parser crash) without a result."""


_to_parent: Any = None  # in a child of run_isolated: the pipe to its parent


def report(progress: Any) -> None:
    """In a child of run_isolated: tell the parent how far it got (no-op elsewhere)."""
    if _to_parent is not None:
        _to_parent.send(("progress", progress))


def address_space_bytes() -> int:
    """This process's virtual size (VmSize): what a forked child inherited from its parent."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Any, memory_mb: int, func: Callable[..., Any], args: tuple) -> None:
    global _to_parent
    _to_parent = conn
    # The limit is on what extraction may add: a forked child starts with the parent's whole
    # address space (threads' stacks and malloc arenas count there), which says little about memory.
    limit = address_space_bytes() + memory_mb * 1024 * 1024
    # A limit the parent already runs under stays the ceiling (a hard limit can only be lowered).
    _, inherited = resource.getrlimit(resource.RLIMIT_AS)
    if inherited != resource.RLIM_INFINITY:
        limit = min(limit, inherited)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", func(*args)))
    except MemoryError:
        conn.send(("error", ExtractionCrashed(f"memory limit of {memory_mb} MB exceeded")))
    except BaseException as error:  # noqa: BLE001 - every failure is reported to the parent
        conn.send(("error", error))
    finally:
        conn.close()


def run_isolated(func: Callable[..., T], *args: Any, limits: Limits) -> T:
    """func(*args) in a forked child (imports are inherited, so it starts in milliseconds)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, limits.memory_mb, func, args), daemon=True)
    process.start()
    sender.close()
    deadline = time.monotonic() + limits.timeout_s
    progress = None
    try:
        while True:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                process.kill()
                raise ExtractionTimeout(
                    f"extraction exceeded the time limit of {limits.timeout_s:g} s", progress
                )
            try:
                status, payload = receiver.recv()
            except EOFError as error:
                process.join(timeout=5)
                died = f"extraction process died (exit code {process.exitcode})"
                raise ExtractionCrashed(f"{died}; memory limit {limits.memory_mb} MB", progress) from error
            if status != "progress":
                break
            progress = payload
    finally:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
        receiver.close()
    if status == "error":
        if isinstance(payload, IsolationFailed):
            payload.progress = progress
        raise payload
    return payload
