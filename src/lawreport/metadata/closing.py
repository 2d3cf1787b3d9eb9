"""The sign-off at the end of a report: the issuing body and the date it was signed.

One definition of the dated line that ends a report, used by the metadata (``signed_date``,
the agency of the sign-off) and, through :attr:`~lawreport.records.DocumentMeta.closing_line`,
by the outline (where the closing part starts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lawreport.metadata.agency import is_closing_agency
from lawreport.zh.dates import find_dates

SIGN_OFF_LINES = 4  # the sign-off is looked for in the last lines only
SIGNATURE_MAX = 40


@dataclass(frozen=True)
class Closing:
    agency: str | None
    date: dt.date | None
    date_line: int | None  # index of the dated line among the text's lines


def dated_line(line: str) -> tuple[dt.date, str] | None:
    """The date of a sign-off line and what else it holds (a signature, at most
    SIGNATURE_MAX characters and no sentence punctuation), or None."""
    dates = list(find_dates(line))
    if not dates:
        return None
    date, start, end = dates[-1]
    rest = (line[:start] + line[end:]).strip()
    if len(rest) > SIGNATURE_MAX or "。" in rest or "," in rest:
        return None
    return date, rest


def read_closing(lines: list[str]) -> Closing:
    """The sign-off block among the last lines: a date line, and the issuing body on it or
    on the line before; without a date, a last line that names a body."""
    tail = [line.strip() for line in lines[-SIGN_OFF_LINES:]]
    offset = len(lines) - len(tail)
    for index in range(len(tail) - 1, -1, -1):
        found = dated_line(tail[index])
        if found is None:
            continue
        date, rest = found
        agency = rest if is_closing_agency(rest) else None
        if agency is None and index > 0 and is_closing_agency(tail[index - 1]):
            agency = tail[index - 1]
        return Closing(agency, date, offset + index)
    last = tail[-1] if tail else ""
    return Closing(last if is_closing_agency(last) else None, None, None)
