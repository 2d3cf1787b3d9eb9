"""Every setting of a run in one validated object, :class:`Options`, and every check of an
option value in this module.

The command line builds an :class:`Options` from its flags and a Python caller builds one
(or passes the same names as keywords to :func:`lawreport.extract`); either way a bad value is
an :class:`OptionError` as the object is made, before any file is read or written. Messages
name the option as it is written on the command line and say what to do instead. Modes are
``Literal`` types, and each field is either part of the row cache's key (:data:`ROW_FIELDS`:
it can change a row) or says why it is not (:data:`RUN_FIELDS`); a test holds the two lists
and the fields together.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from lawreport.budget import DEFAULT_TIME_BUDGET, Budget
from lawreport.errors import OptionError
from lawreport.indicators.rulepack import DEFAULT_TIMEOUT, builtin_packs, load_ruleset, merged_indicator_rules
from lawreport.kinds import Kind, default_kind, find_kind, load_kinds
from lawreport.paths import canonical, canonical_folder, display, is_within
from lawreport.reading.discover import skip_reason
from lawreport.reading.encoding import check_encoding
from lawreport.reading.source import DEFAULT_MAX_BYTES
from lawreport.tables.exports import ALL_FORMATS
from lawreport.tables.formats import FORMATS

if TYPE_CHECKING:
    from lawreport.indicators.rulepack import IndicatorRule, RuleSet

__all__ = ["ROW_FIELDS", "RUN_FIELDS", "Engine", "OptionError", "Options", "Thresholds"]

Engine = Literal["local", "dask"]
ENGINES: tuple[str, ...] = get_args(Engine)
LOCAL_SCHEDULERS = ("synchronous", "threads")  # Dask's in-process schedulers
MAX_JOBS_PER_CORE = 4
MAX_RULE_TIMEOUT = 3600.0

# Fields whose value can change a row: the row cache's key is a digest of them (the rule
# packs count by their bytes, see lawreport.run.cachekey, not by how their folders are spelled).
ROW_FIELDS = ("encoding", "max_bytes", "rule_timeout", "time_budget", "kind")
# Fields that never change a row, and why.
RUN_FIELDS = {
    "rules": "the packs' bytes are in the key, not the spelling of their folders",
    "kinds": "the user kinds' bytes are in the key, not the spelling of their folders",
    "formats": "rows are the same in every format",
    "csv_escape": "applied when CSV cells are written, not to the cached rows",
    "partition": "a layout of the Parquet files, not their rows",
    "jobs": "every number of workers gives the same rows",
    "engine": "every engine gives the same rows",
    "scheduler": "every engine gives the same rows",
    "incremental": "says whether cached rows may be used at all",
    "replace": "which files the dataset holds, not their rows",
    "follow_symlinks": "which files are read, not their rows",
    "strict": "how a run or check is judged, not its rows",
    "required": "what check asks of the parts, not the parts",
    "ignore": "which findings check reports, not the rows",
}


def check_codes(codes: str | Sequence[str]) -> tuple[str, ...]:
    """Finding codes as ``LR201,LR303`` or a sequence, upper-cased, in order, once each (whether
    check knows them is checked by check itself)."""
    items = [str(code).strip() for code in (codes.split(",") if isinstance(codes, str) else codes)]
    bad = [code for code in items if code and not CODE_SHAPE.fullmatch(code.upper())]
    if bad:
        raise OptionError(f"--ignore {', '.join(bad)}: not a finding code", hint="Codes look like LR201.")
    return tuple(dict.fromkeys(code.upper() for code in items if code))


CODE_SHAPE = re.compile(r"LR\d{3}")


@dataclass(frozen=True, kw_only=True)
class Options:
    """The settings of ``extract``, ``check``, ``eval`` and the one-file commands.

    Values are checked and normalised as the object is made: ``formats`` may be given as
    ``"csv,parquet"``, ``rules`` as any sequence of paths, ``jobs`` as None (one per core).
    """

    # reading
    encoding: str | None = None  # force a codec instead of detecting it
    max_bytes: int = DEFAULT_MAX_BYTES  # refuse larger files
    follow_symlinks: bool = False  # read symlinked files that point outside the inputs
    # extraction
    rules: tuple[str, ...] = ()  # user rule pack folders, after the built-in packs
    kind: str = "auto"  # the report kind: auto (recognised per document) or a kind's name
    kinds: tuple[str, ...] = ()  # user kind folders (a kind folder, or a folder of them)
    rule_timeout: float = DEFAULT_TIMEOUT  # seconds a rule's regex may run on one document
    time_budget: float | None = DEFAULT_TIME_BUDGET  # seconds for one document in all; None or 0: no limit
    # tables
    formats: tuple[str, ...] = FORMATS
    csv_escape: bool = True  # neutralise spreadsheet formulas in CSV text cells
    partition: bool | None = None  # Parquet as hive datasets by report year; None: for the dask engine
    # the run
    jobs: int = 0  # worker processes; 0: one per core
    engine: Engine = "local"
    scheduler: str | None = None  # Dask scheduler address; None: a private LocalCluster
    incremental: bool = True  # reuse the cached rows of unchanged files
    replace: bool = False  # start the dataset afresh with this run's inputs
    # gates
    strict: bool = False  # warnings fail too (extract's exit code, check)
    required: tuple[str, ...] | None = None  # parts check requires; None: the report kind's
    ignore: tuple[str, ...] = ()  # finding codes check leaves out (LR201, …)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalised values are set once, here
        if self.encoding is not None:
            check_encoding(self.encoding)
        set_(self, "max_bytes", check_max_bytes(self.max_bytes))
        set_(self, "rules", check_rule_packs(self.rules))
        set_(self, "kinds", tuple(str(Path(folder).resolve()) for folder in self.kinds))
        known_kinds = self.report_kinds()
        if self.kind != "auto":
            find_kind(self.kind, known_kinds)
        set_(self, "rule_timeout", check_rule_timeout(self.rule_timeout))
        set_(self, "time_budget", check_seconds("--time-budget", self.time_budget, zero_means_unlimited=True))
        set_(self, "formats", check_formats(self.formats, ALL_FORMATS))
        set_(self, "jobs", check_jobs(self.jobs))
        check_engine(self.engine, self.scheduler)
        if self.required is not None:
            labels = {label for kind in known_kinds for label in kind.labels}
            set_(self, "required", tuple(check_parts(self.required, tuple(sorted(labels)))))
        set_(self, "ignore", check_codes(self.ignore))
        for name in ("follow_symlinks", "csv_escape", "incremental", "replace", "strict"):
            check_flag(name, getattr(self, name))
        if self.partition is not None:
            check_flag("partition", self.partition)

    @classmethod
    def with_settings(cls, options: Options | None = None, settings: Mapping[str, Any] | None = None) -> Options:
        """``options`` (default: the defaults) with the named settings changed; an unknown
        name is an :class:`OptionError`."""
        base = options if options is not None else cls()
        if not settings:
            return base
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise OptionError(f"unknown setting(s) {', '.join(unknown)}", hint=f"Use {', '.join(sorted(known))}.")
        return dataclasses.replace(base, **settings)

    @property
    def workers(self) -> int:
        """How many worker processes ``jobs`` means here."""
        return self.jobs or cores()

    @property
    def partitioned(self) -> bool:
        """Whether Parquet tables are written as hive datasets by report year."""
        return self.engine == "dask" if self.partition is None else self.partition

    def row_settings(self) -> dict[str, Any]:
        """The fields that can change a row (:data:`ROW_FIELDS`), for the row cache's key."""
        return {name: getattr(self, name) for name in ROW_FIELDS}

    def budget(self) -> Budget:
        """A fresh time budget for one document."""
        return Budget(self.time_budget)

    def ruleset(self, kind: Kind | None = None) -> RuleSet:
        """The built-in rule packs of ``kind`` (default: the default kind's) plus the user's,
        loaded, validated and compiled once per process (a broken pack is a
        :class:`~lawreport.errors.DataFileError`)."""
        packs = (kind or default_kind()).rule_packs
        return load_ruleset(self.rules, self.rule_timeout, packs)

    def indicator_ids(self) -> list[str]:
        """The columns of ``indicators_wide``: every standard indicator of every kind's rule
        packs (the default kind's first), so that a work report's panel has its columns too."""
        return [rule.id for rule in self.indicator_rules()]

    def indicator_rules(self) -> list[IndicatorRule]:
        """The standard indicators behind :meth:`indicator_ids`, in column order (the first kind
        to define an id gives its rule: its name and units document the column). Only the
        default kind's rule set is compiled: a run may meet no report of another kind."""
        default = self.ruleset()
        rules = {rule.id: rule for rule, _ in default.indicators}
        user = default.packs[len(default.packs) - len(self.rules) :]  # the same user packs for every kind
        for kind in self.report_kinds():
            for rule in merged_indicator_rules((*builtin_packs(kind.rule_packs), *user)):
                rules.setdefault(rule.id, rule)
        return list(rules.values())

    def report_kinds(self) -> tuple[Kind, ...]:
        """The built-in kinds plus the user's (``kinds``), highest recognition priority first."""
        return load_kinds(self.kinds)

    def required_parts(self, kind: Kind | None = None) -> tuple[str, ...]:
        """The parts ``check`` requires: ``required``, else those of the report's kind."""
        return self.required if self.required is not None else (kind or default_kind()).required


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """What ``eval`` requires of the scores to pass (0 and -1: no requirement)."""

    min_f1: float = 0.0
    min_recall: float = 0.0
    min_precision: float = 0.0
    min_meta: float = 0.0
    min_outline: float = 0.0
    max_violations: int = -1

    def __post_init__(self) -> None:
        for name in ("min_f1", "min_recall", "min_precision", "min_meta", "min_outline"):
            object.__setattr__(self, name, check_fraction("--" + name.replace("_", "-"), getattr(self, name)))
        check_at_least("--max-violations", self.max_violations, -1)

    def minimums(self) -> dict[str, float]:
        """Score name (as in :func:`lawreport.qa.evaluate.totals`) -> least value that passes."""
        return {
            "indicator_f1": self.min_f1,
            "indicator_recall": self.min_recall,
            "indicator_precision": self.min_precision,
            "meta_accuracy": self.min_meta,
            "outline_accuracy": self.min_outline,
        }


# -- checks of one value -----------------------------------------------------------------


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None) -> int:
    """Worker processes: ``None`` or 0 means one per core (kept as 0)."""
    limit = MAX_JOBS_PER_CORE * cores()
    if jobs is None or (jobs == 0 and not isinstance(jobs, bool)):
        return 0
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise OptionError(f"--jobs {jobs}: must be a whole number from 1 to {limit}", hint="Use 0 for one per core.")
    if jobs > limit:
        raise OptionError(
            f"--jobs {jobs}: at most {limit} here ({MAX_JOBS_PER_CORE} per core, {cores()} cores)",
            hint="More workers than that only cost memory.",
        )
    return jobs


def check_max_size(megabytes: float) -> int:
    """``--max-size`` in MB, as bytes."""
    if not _positive(megabytes):
        raise OptionError(
            f"--max-size {megabytes}: must be a positive number of MB", hint="The default is 50 (MB per file)."
        )
    return int(megabytes * 1e6)


def check_max_bytes(max_bytes: int) -> int:
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise OptionError(f"max_bytes {max_bytes}: must be a positive number of bytes", hint="The default is 50 MB.")
    return max_bytes


def check_rule_timeout(seconds: float) -> float:
    if not _positive(seconds) or seconds > MAX_RULE_TIMEOUT:
        raise OptionError(
            f"--rule-timeout {seconds}: must be more than 0 and at most {MAX_RULE_TIMEOUT:g} seconds",
            hint="The default is 5 s per rule and document.",
        )
    return float(seconds)


def check_seconds(name: str, seconds: float | None, *, zero_means_unlimited: bool = False) -> float | None:
    """A duration option; None for "no limit" (0 where allowed)."""
    if seconds is None or (zero_means_unlimited and seconds == 0):
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or math.isnan(seconds) or seconds <= 0:
        allowed = " (0 for no limit)" if zero_means_unlimited else ""
        raise OptionError(f"{name} must be a positive number of seconds{allowed}, not {seconds!r}")
    return float(seconds)


def check_formats(formats: str | Sequence[str], choices: Sequence[str]) -> tuple[str, ...]:
    """A comma-separated string or a sequence of format names, each one of ``choices``."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = tuple(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
    unknown = [name for name in wanted if name not in choices]
    if unknown or not wanted:
        shown = ", ".join(unknown) if unknown else repr(formats)
        raise OptionError(f"--format {shown}: unknown format", hint=f"Choose from {', '.join(choices)}.")
    return wanted


def check_choice(option: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise OptionError(f"{option} {value!r}: unknown", hint=f"Choose from {', '.join(choices)}.")
    return value


def check_engine(engine: str, scheduler: str | None) -> None:
    check_choice("--engine", engine, ENGINES)
    if scheduler is None:
        return
    if engine != "dask":
        raise OptionError(f"--scheduler {scheduler}: only used with --engine dask", hint="Add --engine dask.")
    if scheduler not in LOCAL_SCHEDULERS and "://" not in scheduler:
        raise OptionError(
            f"--scheduler {scheduler!r}: not a scheduler address",
            hint="Give the address the Dask scheduler prints, such as tcp://host:8786.",
        )


def check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise OptionError(f"{name} {value!r}: must be true or false")


def check_fraction(option: str, value: float) -> float:
    if isinstance(value, bool) or not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
        raise OptionError(f"{option} {value}: must be between 0 and 1", hint="Scores are fractions, e.g. 0.95.")
    return float(value)


def check_at_least(option: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise OptionError(f"{option} {value}: must be a whole number of at least {minimum}")
    return value


def check_parts(parts: str | Iterable[str], labels: Sequence[str]) -> list[str]:
    names = parts.split(",") if isinstance(parts, str) else list(parts)
    wanted = [name.strip() for name in names if name.strip()]
    unknown = [name for name in wanted if name not in labels]
    if unknown:
        raise OptionError(f"--require {', '.join(unknown)}: unknown part", hint=f"Choose from {', '.join(labels)}.")
    return wanted


def check_rule_packs(packs: Iterable[str | os.PathLike[str]]) -> tuple[str, ...]:
    """Rule pack folders, as strings; each must be a folder (its files are validated when
    the rule set is loaded)."""
    if isinstance(packs, str | os.PathLike):
        packs = [packs]
    folders = tuple(os.fspath(pack) for pack in packs)
    for folder in folders:
        if not Path(folder).is_dir():
            raise OptionError(
                f"--rules {display(folder)!r} is not a folder",
                hint="Create a rule pack with `lawreport rules new PATH`.",
            )
    return folders


# -- checks of a run's paths (arguments, not settings) -----------------------------------


def check_output_folder(out: str | os.PathLike[str]) -> None:
    """The output must be a folder (or not exist yet); ownership is checked by
    :func:`lawreport.run.ownership.check_output`."""
    path = os.fspath(out)
    if os.path.lexists(path) and not os.path.isdir(path):
        kind = "a broken symlink" if os.path.islink(path) else "a file"
        raise OptionError(f"output {display(path)!r} is {kind}, not a folder", hint="Choose a folder with -o.")


def check_inputs(inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str] | None) -> None:
    """Every input exists and none is inside the output folder."""
    folder = canonical_folder(os.fspath(out)) if out is not None else None
    for raw in inputs:
        path = os.fspath(raw)
        if not os.path.lexists(path):
            raise OptionError(
                f"input {display(path)!r} does not exist", hint="Check the path, or run from the project folder."
            )
        spot = canonical_folder(path) if os.path.isdir(path) else canonical(path)
        if folder is not None and is_within(spot, folder):
            raise OptionError(
                f"input {display(path)!r} is inside the output folder {display(folder)}",
                hint="lawreport never reads its own outputs back: move the input out, or choose another folder with -o.",
            )


def check_file(path: str) -> None:
    """The one report a one-file command reads: a file of a type extract reads too."""
    if not os.path.isfile(path):
        raise OptionError(f"{display(path)!r} is not a file", hint="Give the path of one report.")
    why = skip_reason(path)
    if why:
        raise OptionError(f"{display(path)!r}: {why}", hint="Give a .txt or .html report, or - for standard input.")


def check_listing(listing: str | os.PathLike[str] | None) -> None:
    """A listing file must be readable (it is not read here: a pipe can be read only once)."""
    if listing is None or not isinstance(listing, str | os.PathLike):
        return
    path = os.fspath(listing)
    if os.path.isdir(path):
        raise OptionError(f"--manifest {display(path)!r} is a folder", hint="Give a file with one path per line.")
    if not os.path.exists(path) or not os.access(path, os.R_OK):
        reason = "does not exist" if not os.path.lexists(path) else "cannot be read"
        raise OptionError(f"--manifest {display(path)!r} {reason}", hint="Give a file with one path per line, or -.")


def _positive(value: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
