"""Table schemas: column names, Arrow types and which columns hold free text.

The one list of every table's columns: rows are built to them (:mod:`lawreport.tables.rows`,
a test holds the two together), every format writes them and the README documents them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

PARTITION_COLUMN = "report_year"  # tables kept by report year can be partitioned by it


@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema
    by_report_year: bool = True  # partitionable by the report year of its document

    @property
    def columns(self) -> list[str]:
        return self.schema.names

    @property
    def text_columns(self) -> list[str]:
        return [f.name for f in self.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


DOCUMENTS = TableSpec(
    "documents",
    pa.schema(
        [
            ("doc_id", pa.string()),
            ("path", pa.string()),
            ("root", pa.string()),  # the input the file came from: a folder given to the run, or the file itself
            ("status", pa.string()),
            ("format", pa.string()),
            ("encoding", pa.string()),
            ("script", pa.string()),
            ("kind", pa.string()),
            ("kind_cue", pa.string()),
            ("title", pa.string()),
            ("agency", pa.string()),
            ("province", pa.string()),
            ("city", pa.string()),
            ("county", pa.string()),
            ("adcode", pa.string()),
            ("report_year", pa.int32()),
            ("publish_date", pa.date32()),
            ("signed_date", pa.date32()),
            # what decided each metadata field (data/metadata/cues.toml), and the low-confidence ones
            ("title_cue", pa.string()),
            ("agency_cue", pa.string()),
            ("place_cue", pa.string()),
            ("report_year_cue", pa.string()),
            ("publish_date_cue", pa.string()),
            ("signed_date_cue", pa.string()),
            ("meta_doubtful", pa.string()),
            ("n_bytes", pa.int64()),
            ("n_chars", pa.int64()),
            ("n_sections", pa.int32()),
            ("n_indicators", pa.int32()),
            ("duplicate_of", pa.string()),
            ("source_line", pa.string()),
            ("warnings", pa.string()),
        ]
    ),
)

ERRORS = TableSpec(
    "errors",
    pa.schema(
        [
            ("path", pa.string()),
            ("root", pa.string()),
            ("severity", pa.string()),
            ("stage", pa.string()),
            ("error_type", pa.string()),
            ("message", pa.string()),
            ("hint", pa.string()),
        ]
    ),
    by_report_year=False,  # a file that failed has no report year
)

SECTIONS = TableSpec(
    "sections",
    pa.schema(
        [
            ("doc_id", pa.string()),
            ("section_id", pa.string()),
            ("parent_id", pa.string()),
            ("level", pa.int16()),
            ("style", pa.string()),
            ("number", pa.string()),
            ("heading", pa.string()),
            ("label", pa.string()),
            ("confidence", pa.float64()),
            ("cue", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("n_chars", pa.int64()),
        ]
    ),
)

INDICATORS = TableSpec(
    "indicators",
    pa.schema(
        [
            ("doc_id", pa.string()),
            ("indicator_no", pa.int32()),
            ("section_id", pa.string()),
            ("section_label", pa.string()),
            ("indicator_id", pa.string()),
            ("indicator", pa.string()),
            ("subject", pa.string()),
            ("value", pa.float64()),
            ("value_low", pa.float64()),
            ("value_high", pa.float64()),
            ("unit", pa.string()),
            ("unit_kind", pa.string()),
            ("qualifier", pa.string()),
            ("is_target", pa.bool_()),
            ("is_estimate", pa.bool_()),
            ("text", pa.string()),
            ("sentence", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("sentence_start", pa.int64()),
            ("sentence_end", pa.int64()),
            ("rule_id", pa.string()),
            ("pack", pa.string()),
            ("change", pa.string()),
            ("basis", pa.string()),
            ("role", pa.string()),
            ("pair_no", pa.int32()),
            ("respectively", pa.bool_()),
            ("part_of", pa.int32()),
            ("report_year", pa.int32()),  # the document's, so the long table needs no join
            ("agency", pa.string()),
            ("kind", pa.string()),
        ]
    ),
)

WIDE_KEY_COLUMNS = [("doc_id", pa.string()), ("path", pa.string()), ("report_year", pa.int32())]


def wide_spec(indicator_ids: list[str]) -> TableSpec:
    """``indicators_wide``: one row per document; per standard indicator its achieved value
    (column ``<id>``) and its target (``<id>_target``)."""
    columns = [(column, pa.float64()) for name in indicator_ids for column in (name, f"{name}{TARGET_SUFFIX}")]
    return TableSpec("indicators_wide", pa.schema([*WIDE_KEY_COLUMNS, *columns]))


TARGET_SUFFIX = "_target"  # the wide table's column of an indicator's target value


TABLES = {spec.name: spec for spec in (DOCUMENTS, SECTIONS, INDICATORS, ERRORS)}
TABLE_NAMES = ("documents", "sections", "indicators", "indicators_wide", "errors")  # in the order they are written


def run_specs(indicator_ids: list[str]) -> tuple[TableSpec, ...]:
    """Every table a run writes, in :data:`TABLE_NAMES` order."""
    return (DOCUMENTS, SECTIONS, INDICATORS, wide_spec(indicator_ids), ERRORS)
