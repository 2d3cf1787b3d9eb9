"""Table schemas: column names, Arrow types and which columns hold free text."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema

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
            ("status", pa.string()),
            ("format", pa.string()),
            ("encoding", pa.string()),
            ("script", pa.string()),
            ("title", pa.string()),
            ("agency", pa.string()),
            ("province", pa.string()),
            ("city", pa.string()),
            ("county", pa.string()),
            ("adcode", pa.string()),
            ("report_year", pa.int32()),
            ("publish_date", pa.date32()),
            ("signed_date", pa.date32()),
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
            ("severity", pa.string()),
            ("stage", pa.string()),
            ("error_type", pa.string()),
            ("message", pa.string()),
            ("hint", pa.string()),
        ]
    ),
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

TABLES = {spec.name: spec for spec in (DOCUMENTS, SECTIONS, ERRORS)}
