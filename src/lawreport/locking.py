"""An exclusive lock on the output folder, so two runs never interleave their writes.

Uses ``fcntl.flock``: the kernel releases it when the holder dies, even by ``kill -9``, so a
stale lock never blocks the next run. The lock file names its holder for the error message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from lawreport.errors import UsageError

LOCK_NAME = ".lawreport.lock"


class OutputLockedError(UsageError):
    error_type = "OutputLocked"


@contextlib.contextmanager
def locked_output(out: Path) -> Iterator[None]:
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, run unguarded
        yield
        return
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    try:
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
        handle.truncate()
        handle.write(
            f"lawreport pid {os.getpid()} on {socket.gethostname()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}"
        )
        handle.flush()
        yield
    finally:
        handle.close()
