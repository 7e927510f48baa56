"""Opening a file to read it, never through a symbolic link and never blocking on a FIFO.

Files are opened with O_NOFOLLOW and checked again on the open descriptor, so a file swapped for a
link (or a FIFO) between a listing and the opening is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path is not (or no longer) a regular file of its own: a link, a FIFO, a device…"""


def kind_problem(mode: int) -> str | None:
    """Why an entry with this lstat mode is not read; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "symbolic link, not followed"
    if stat.S_ISDIR(mode):
        return "a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "a device, not a regular file"


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading without following a symbolic link (O_NOFOLLOW) and without
    blocking on a FIFO (O_NONBLOCK); NotRegularFile for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegularFile(errno.ELOOP, "symbolic link, not followed", str(path)) from None
        raise
    try:
        problem = kind_problem(os.fstat(fd).st_mode)
        if problem is not None:
            raise NotRegularFile(errno.EINVAL, problem, str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
