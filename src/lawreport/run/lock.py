"""An exclusive lock on the output folder, so two runs never interleave their writes.

Uses ``fcntl.flock``: the kernel releases it when the holder dies, even by ``kill -9``, so a
stale lock never blocks the next run. The lock file names its holder for the error message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

from lawreport.errors import UsageError

LOCK_NAME = ".lawreport.lock"
LOCK_TEXT = "lawreport pid "  # how the holder is named in the file: anything else is not ours


class OutputLockedError(UsageError):
    error_type = "OutputLocked"


@contextlib.contextmanager
def locked_output(out: Path) -> Iterator[None]:
    """Hold the lock of ``out`` (an existing folder) for the body of the ``with``."""
    path = out / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, run unguarded
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as error:  # ELOOP: a symlink; never write through it
        raise OutputLockedError(
            f"{path} is not lawreport's lock file ({error.strerror})",
            hint="Move it away; lawreport will not write through a symlink.",
        ) from error
    handle = os.fdopen(fd, "r+", encoding="utf-8", errors="replace")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputLockedError(f"{path} is not a regular file", hint="Move it away.")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise OutputLockedError(
                f"output folder {out} is in use by {holder}",
                hint="Wait for that run to finish, or write to another folder with -o.",
            ) from error
        handle.seek(0)
        previous = handle.read(200)
        if previous and not previous.startswith(LOCK_TEXT):
            raise OutputLockedError(
                f"{path} is not lawreport's lock file", hint="Move it away; lawreport will not overwrite it."
            )
        handle.seek(0)
        handle.truncate()
        handle.write(f"{LOCK_TEXT}{os.getpid()} on {socket.gethostname()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        yield
    finally:
        handle.close()
