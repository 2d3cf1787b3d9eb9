"""lawreport: turn Chinese government annual reports into clean tables.

The library comes first; ``lawreport.cli`` is a thin layer over it. Everything a command does
is here, imported on first use (``import lawreport`` itself costs about a millisecond):

- settings: :class:`Options` (every setting, validated as made), :class:`Thresholds` (eval);
- one report: :func:`process_file` / :func:`process_text` run every stage and return a
  :class:`Processed` or :class:`Failed` record; the stages alone are :func:`read_source`,
  :func:`normalize`, :func:`describe`, :func:`parse_outline` with :func:`label_outline`, and
  :func:`find_indicators`;
- many reports: :func:`read` (the tables of some reports as DataFrames, in memory: a
  :class:`Tables`), :func:`extract` (the dataset on disk, a :class:`RunSummary`), :func:`load`
  (every table of an output folder) and :func:`load_table` (one table back as a DataFrame);
- quality: :func:`check` (the CI gate, a :class:`CheckOutcome`; :func:`check_files` streams
  the :class:`FileCheck` of each file) and :func:`evaluate` (scores against a hand-made
  reference, an :class:`Evaluation`);
- the errors every function raises, all :class:`LawreportError`.

>>> import lawreport
>>> result = lawreport.process_file("data/raw/guangzhou_haizhu_zsj_2022.txt")  # doctest: +SKIP
>>> result.meta.agency, result.meta.report_year  # doctest: +SKIP
('广州市海珠区政务服务数据管理局', 2022)
"""

from lawreport.version import __version__

# typing is not imported: it would cost more than the rest of ``import lawreport`` together.
TYPE_CHECKING = False

# Public name -> the module that defines it (imported when the name is first used).
_EXPORTS = {
    "CheckOutcome": "lawreport.qa.check",
    "DataFileError": "lawreport.errors",
    "DocumentMeta": "lawreport.records",
    "DocumentResult": "lawreport.records",
    "ErrorRecord": "lawreport.records",
    "Evaluation": "lawreport.qa.evaluate",
    "Failed": "lawreport.records",
    "FileCheck": "lawreport.qa.checks",
    "Finding": "lawreport.qa.checks",
    "Indicator": "lawreport.records",
    "InputError": "lawreport.errors",
    "LawreportError": "lawreport.errors",
    "Normalized": "lawreport.records",
    "NothingReadError": "lawreport.errors",
    "OptionError": "lawreport.errors",
    "Options": "lawreport.options",
    "Outline": "lawreport.records",
    "OutputError": "lawreport.errors",
    "Processed": "lawreport.records",
    "RunInterrupted": "lawreport.errors",
    "RunSummary": "lawreport.run.batch",
    "Section": "lawreport.records",
    "SourceText": "lawreport.records",
    "Thresholds": "lawreport.options",
    "UsageError": "lawreport.errors",
    "check": "lawreport.qa.check",
    "check_files": "lawreport.qa.check",
    "describe": "lawreport.metadata.describe",
    "evaluate": "lawreport.qa.evaluate",
    "extract": "lawreport.run.batch",
    "find_indicators": "lawreport.indicators.find",
    "label_outline": "lawreport.outline.labels",
    "load_ruleset": "lawreport.indicators.rulepack",
    "load": "lawreport.tables.frames",
    "load_table": "lawreport.tables.frames",
    "normalize": "lawreport.text.normalize",
    "parse_outline": "lawreport.outline.parse",
    "process_file": "lawreport.pipeline",
    "process_text": "lawreport.pipeline",
    "read": "lawreport.run.dataframes",
    "read_source": "lawreport.reading.source",
    "Tables": "lawreport.tables.frames",
}

__all__ = [
    "CheckOutcome",
    "DataFileError",
    "DocumentMeta",
    "DocumentResult",
    "ErrorRecord",
    "Evaluation",
    "Failed",
    "FileCheck",
    "Finding",
    "Indicator",
    "InputError",
    "LawreportError",
    "Normalized",
    "NothingReadError",
    "OptionError",
    "Options",
    "Outline",
    "OutputError",
    "Processed",
    "RunInterrupted",
    "RunSummary",
    "Section",
    "SourceText",
    "Tables",
    "Thresholds",
    "UsageError",
    "__version__",
    "check",
    "check_files",
    "describe",
    "evaluate",
    "extract",
    "find_indicators",
    "label_outline",
    "load",
    "load_ruleset",
    "load_table",
    "normalize",
    "parse_outline",
    "process_file",
    "process_text",
    "read",
    "read_source",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lawreport' has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=[name]), name)  # not importlib: it costs more than this file
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and editors; at run time names load on first use
    from lawreport.errors import (
        DataFileError,
        InputError,
        LawreportError,
        NothingReadError,
        OptionError,
        OutputError,
        RunInterrupted,
        UsageError,
    )
    from lawreport.indicators.find import find_indicators
    from lawreport.indicators.rulepack import load_ruleset
    from lawreport.metadata.describe import describe
    from lawreport.options import Options, Thresholds
    from lawreport.outline.labels import label_outline
    from lawreport.outline.parse import parse_outline
    from lawreport.pipeline import process_file, process_text
    from lawreport.qa.check import CheckOutcome, check, check_files
    from lawreport.qa.checks import FileCheck, Finding
    from lawreport.qa.evaluate import Evaluation, evaluate
    from lawreport.reading.source import read_source
    from lawreport.records import (
        DocumentMeta,
        DocumentResult,
        ErrorRecord,
        Failed,
        Indicator,
        Normalized,
        Outline,
        Processed,
        Section,
        SourceText,
    )
    from lawreport.run.batch import RunSummary, extract
    from lawreport.run.dataframes import read
    from lawreport.tables.frames import Tables, load, load_table
    from lawreport.text.normalize import normalize
