"""A task that kills its own worker process on files named ``*poison*`` (as the kernel's
out-of-memory killer would), for the fault tests. A module of its own so that Dask workers,
which import what they run, can import it."""

from __future__ import annotations

import os
import signal

from lawreport.run.executors import ExtractTask


class PoisonTask(ExtractTask):
    def __call__(self, paths: list[str]) -> list:
        if any("poison" in os.path.basename(path) for path in paths):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().__call__(paths)
