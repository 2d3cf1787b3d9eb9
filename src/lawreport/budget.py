"""A time budget per document, so one pathological file cannot hold up a batch.

A :class:`Budget` starts when a file is opened. Every regular expression of every rule pack
runs with a timeout of at most what is left of it (``regex``'s own timeout), and the loops
of the pipeline (lines, headings, candidate numbers) look at the clock as they go. A document
that runs out fails with :class:`TimeBudgetExceeded`, which names the stage; the batch goes on.
Work that cannot be interrupted (the HTML parser, OpenCC) is bounded in size instead.
"""

from __future__ import annotations

import math
import time

from lawreport.errors import LawreportError

DEFAULT_TIME_BUDGET = 60.0


class TimeBudgetExceeded(LawreportError):
    """A document took longer than its time budget."""

    error_type = "TimeBudget"


class Budget:
    """The time left for one document. ``seconds=None`` never runs out."""

    __slots__ = ("deadline", "seconds")

    def __init__(self, seconds: float | None = DEFAULT_TIME_BUDGET) -> None:
        self.seconds = seconds
        self.deadline = math.inf if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def check(self, stage: str) -> None:
        """Raise :class:`TimeBudgetExceeded` when the budget is spent."""
        if self.deadline is not math.inf and time.monotonic() >= self.deadline:
            raise self.exceeded(stage)

    def timeout(self, per_call: float | None, stage: str) -> float | None:
        """The timeout for one regex call: ``per_call`` capped by what is left (None: no limit)."""
        if self.deadline is math.inf:
            return per_call
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.exceeded(stage)
        return left if per_call is None else min(per_call, left)

    def exceeded(self, stage: str) -> TimeBudgetExceeded:
        return TimeBudgetExceeded(
            f"the document took longer than its time budget of {self.seconds:g} s ({stage})",
            hint="Raise it with --time-budget SECONDS (0 for no limit), or look at the file: "
            "very long lines, deeply nested HTML or a slow rule pattern.",
        )


UNLIMITED = Budget(None)
