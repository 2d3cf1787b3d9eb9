"""Every option a run takes, validated in one place before any output is touched.

The library calls these checks itself (so a Python caller gets the same :class:`OptionError`
as the command line), and the CLI turns the error into one line and exit code 2. Messages
name the option as it is written on the command line and say what to do instead.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lawreport.errors import OptionError
from lawreport.paths import canonical, canonical_folder, display, is_within
from lawreport.reading.encoding import check_encoding as _check_codec

if TYPE_CHECKING:
    from lawreport.pipeline import ExtractOptions

MAX_JOBS_PER_CORE = 4
MAX_RULE_TIMEOUT = 3600.0
ENGINES = ("local", "dask")
LOCAL_SCHEDULERS = ("synchronous", "threads")  # Dask's in-process schedulers


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None) -> int:
    """Worker processes: ``None`` or 0 means one per core."""
    limit = MAX_JOBS_PER_CORE * cores()
    if jobs is None or jobs == 0:
        return cores()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise OptionError(f"--jobs {jobs}: must be a whole number from 1 to {limit}", hint="Use 0 for one per core.")
    if jobs > limit:
        raise OptionError(
            f"--jobs {jobs}: at most {limit} here ({MAX_JOBS_PER_CORE} per core, {cores()} cores)",
            hint="More workers than that only cost memory.",
        )
    return jobs


def check_encoding(encoding: str | None) -> str | None:
    """A codec Python knows that turns bytes into text and that a report can be written in."""
    return None if encoding is None else _check_codec(encoding)


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


def check_fraction(option: str, value: float) -> float:
    if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
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


def check_output_folder(out: str | os.PathLike[str]) -> None:
    """The output must be a folder (or not exist yet); ownership is checked by
    :func:`lawreport.ownership.check_output`."""
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


def check_rule_packs(packs: Iterable[str | os.PathLike[str]]) -> None:
    for pack in packs:
        if not Path(pack).is_dir():
            raise OptionError(
                f"--rules {display(os.fspath(pack))!r} is not a folder",
                hint="Create a rule pack with `lawreport rules new PATH`.",
            )


def check_extract_options(options: ExtractOptions) -> None:
    """The pipeline options, and the rule packs they name (loaded and validated)."""
    check_encoding(options.encoding)
    check_max_bytes(options.max_bytes)
    check_rule_timeout(options.rule_timeout)
    check_rule_packs(options.rules)
    options.ruleset()


def _positive(value: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
