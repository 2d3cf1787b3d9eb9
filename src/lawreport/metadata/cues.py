"""How far each metadata cue can be trusted (``data/metadata/cues.toml``)."""

from __future__ import annotations

import functools

from lawreport.datafiles import load_toml
from lawreport.schema import OneOf, Table, Text, validate

FIELDS = ("title", "agency", "place", "report_year", "publish_date", "signed_date")
CONFIDENCE = ("high", "medium", "low")

_CUES = Table(
    required={
        field: Table(key=Text(pattern=r"[a-z_]+", explain="a cue name"), values=OneOf(CONFIDENCE, "confidence"))
        for field in FIELDS
    }
)


@functools.cache
def cue_confidence() -> dict[str, dict[str, str]]:
    """field -> cue -> high / medium / low."""
    return validate("metadata/cues.toml", load_toml("metadata", "cues.toml"), _CUES)


def doubtful_fields(cues: dict[str, str]) -> list[str]:
    """The fields whose cue is low confidence (an unknown cue counts as low)."""
    table = cue_confidence()
    return [field for field in FIELDS if cues.get(field) and table[field].get(cues[field], "low") == "low"]
