"""Stata: one ``TABLE.dta`` per table in format 118 (Stata 14 and later, UTF-8: Chinese
intact; R's haven and pandas read it), written by a streaming writer of our own, so memory
does not grow with the table (pandas' ``to_stata`` needs the whole table in memory, about
2.3 KB per indicator row).

Two passes over the canonical table: the first finds each text column's widest value and
each integer column's range, the second writes the rows. Text up to 244 bytes is ``str#``
(fixed width), longer text ``strL`` (kept once per cell in the file's string section), so a
table of long sentences is not padded to its longest one. Integers that fit are ``long``,
else ``double``; booleans ``byte``; dates ``long`` in ``%td`` (days since 1960-01-01).
Stata has no missing text: a missing string is written as ``""``. Variable labels are the
data dictionary's titles; names are made legal (letters, digits, ``_``, at most 32
characters, not a Stata word: ``end`` becomes ``end_offset`` as the dictionary says) and every
rename is in the variable's label (``[end]``) and in the run summary. No timestamp: the same
dataset gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from lawreport.tables.dictionary import TableDoc, frictionless_type
from lawreport.tables.exports import Exported, TableSource
from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import TableSpec

if TYPE_CHECKING:
    import numpy as np

# numpy and pyarrow.compute are imported where a .dta file is written: every run lists this
# module's target names, and a run that writes no .dta should not pay for them at start-up.

STR_MAX = 244  # wider text is strL (str# pads every row to the widest value)
NAME_MAX = 32
LABEL_MAX = 80
# Stata's and Mata's reserved words (as pandas lists them), which a variable may not be named.
RESERVED = frozenset(
    [
        "aggregate",
        "array",
        "boolean",
        "break",
        "byte",
        "case",
        "catch",
        "class",
        "colvector",
        "complex",
        "const",
        "continue",
        "default",
        "delegate",
        "delete",
        "do",
        "double",
        "else",
        "eltypedef",
        "end",
        "enum",
        "explicit",
        "export",
        "external",
        "float",
        "for",
        "friend",
        "function",
        "global",
        "goto",
        "if",
        "inline",
        "int",
        "local",
        "long",
        "NULL",
        "pragma",
        "protected",
        "quad",
        "rowvector",
        "short",
        "typedef",
        "typename",
        "virtual",
        "_all",
        "_N",
        "_skip",
        "_b",
        "_pi",
        "str#",
        "in",
        "_pred",
        "strL",
        "_coef",
        "_rc",
        "using",
        "_cons",
        "_se",
        "with",
        "_n",
    ]
)
RENAMES = {"end": "end_offset"}  # chosen names (pandas would write _end)
TYPE_STRL, TYPE_DOUBLE, TYPE_LONG, TYPE_BYTE = 32768, 65526, 65528, 65530
LONG_MAX, LONG_MIN = 2_147_483_620, -2_147_483_647
MISSING_LONG, MISSING_BYTE = 2_147_483_621, 101
MISSING_DOUBLE = struct.unpack("<d", struct.pack("<Q", 0x7FE0000000000000))[0]
EPOCH = dt.date(1960, 1, 1).toordinal() - dt.date(1970, 1, 1).toordinal()  # Stata's day 0 in Arrow days
MAP_TAGS = (
    "stata_dta", "map", "variable_types", "varnames", "sortlist", "formats", "value_label_names",
    "variable_labels", "characteristics", "data", "strls", "value_labels", "/stata_dta", "eof",
)  # fmt: skip


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    return f"{spec.name}.dta", False


def stata_names(columns: Sequence[str]) -> dict[str, str]:
    """Legal, unique Stata names for ``columns`` (original -> Stata)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = RENAMES.get(column) or re.sub(r"[^A-Za-z0-9_]", "_", column)
        if not re.match(r"[A-Za-z_]", name):
            name = f"_{name}"
        if name in RESERVED:
            name = f"{name}_"
        name = name[:NAME_MAX]
        base, number = name, 2
        while name in taken:
            suffix = f"_{number}"
            name, number = base[: NAME_MAX - len(suffix)] + suffix, number + 1
        taken.add(name)
        names[column] = name
    return names


@dataclass
class _Variable:
    column: str
    name: str
    label: str
    kind: str  # text, integer, number, bool, date
    stata_type: int = 0
    width: int = 0  # bytes in a row
    fmt: str = ""


def export(source: TableSource, out: Path, docs: list[TableDoc]) -> Exported:
    exported = Exported()
    by_name = {doc.name: doc for doc in docs}
    try:
        for spec in source.specs:
            final = out / target(spec, False)[0]
            temporary = temporary_path(final)
            exported.files[final] = temporary
            renamed = write_table(temporary, source, spec, by_name[spec.name])
            sync_tree(temporary)
            if renamed:
                exported.notes.append(
                    f"dta: {final.name}: "
                    + ", ".join(f"{old} is {new}" for old, new in renamed.items())
                    + " (Stata names; the label keeps the original)"
                )
    except BaseException:
        for temporary in exported.files.values():
            temporary.unlink(missing_ok=True)
        raise
    return exported


def write_table(path: Path, source: TableSource, spec: TableSpec, doc: TableDoc) -> dict[str, str]:
    """Write one table; returns the renamed columns."""
    names = stata_names(spec.columns)
    variables = []
    for field in spec.schema:
        title = doc.column(field.name).title
        label = title if names[field.name] == field.name else f"{title} [{field.name}]"
        if len(label) > LABEL_MAX:
            label = label[: LABEL_MAX - 1] + "…"
        variables.append(_Variable(field.name, names[field.name], label, _kind(field.type)))
    rows = _measure(source, spec, variables)
    data_label = f"lawreport {spec.name}: {doc.title}"[:LABEL_MAX]
    spool = path.with_name(path.name + ".strls")
    try:
        with open(path, "wb") as handle, open(spool, "w+b") as strls:
            offsets = _write_header(handle, variables, rows, data_label)
            offsets["data"] = handle.tell()
            handle.write(b"<data>")
            _write_rows(handle, strls, source, spec, variables)
            handle.write(b"</data>")
            offsets["strls"] = handle.tell()
            handle.write(b"<strls>")
            strls.seek(0)
            shutil.copyfileobj(strls, handle, 1 << 20)
            handle.write(b"</strls>")
            offsets["value_labels"] = handle.tell()
            handle.write(b"<value_labels></value_labels>")
            offsets["/stata_dta"] = handle.tell()
            handle.write(b"</stata_dta>")
            offsets["eof"] = handle.tell()
            handle.seek(offsets["map"])
            handle.write(_tag(b"".join(struct.pack("<Q", offsets[tag]) for tag in MAP_TAGS), "map"))
    finally:
        spool.unlink(missing_ok=True)
    return {column: name for column, name in names.items() if column != name}


def _kind(arrow_type: pa.DataType) -> str:
    """The Frictionless type, in this writer's words (Stata has no boolean: bytes 0/1)."""
    return {"boolean": "bool", "string": "text"}.get(frictionless_type(arrow_type), frictionless_type(arrow_type))


def _measure(source: TableSource, spec: TableSpec, variables: list[_Variable]) -> int:
    """First pass: widths of text, ranges of integers; sets each variable's Stata type."""
    import pyarrow.compute as pc

    widest = {v.column: 0 for v in variables}
    fits_long = {v.column: True for v in variables}
    rows = 0
    for batch in source.batches(spec.name, 10_000):
        rows += batch.num_rows
        for variable in variables:
            column = batch.column(variable.column)
            if variable.kind == "text" and column.null_count < len(column):
                widest[variable.column] = max(widest[variable.column], pc.max(pc.binary_length(column)).as_py() or 0)
            elif variable.kind == "integer" and column.null_count < len(column):
                low, high = pc.min_max(column).values()
                if low.as_py() < LONG_MIN or high.as_py() > LONG_MAX:
                    fits_long[variable.column] = False
    for variable in variables:
        if variable.kind == "text":
            width = widest[variable.column]
            if width <= STR_MAX:
                variable.stata_type = variable.width = max(width, 1)
                variable.fmt = f"%{max(width, 1)}s"
            else:
                variable.stata_type, variable.width, variable.fmt = TYPE_STRL, 8, "%9s"
        elif variable.kind == "number" or (variable.kind == "integer" and not fits_long[variable.column]):
            variable.stata_type, variable.width, variable.fmt = TYPE_DOUBLE, 8, "%10.0g"
        elif variable.kind in ("integer", "date"):
            variable.stata_type, variable.width = TYPE_LONG, 4
            variable.fmt = "%td" if variable.kind == "date" else "%12.0g"
        else:
            variable.stata_type, variable.width, variable.fmt = TYPE_BYTE, 1, "%8.0g"
    return rows


def _tag(content: bytes, tag: str) -> bytes:
    return f"<{tag}>".encode() + content + f"</{tag}>".encode()


def _padded(text: str, size: int) -> bytes:
    encoded = text.encode("utf-8")[: size - 1]
    return encoded + b"\x00" * (size - len(encoded))


def _write_header(handle: object, variables: list[_Variable], rows: int, label: str) -> dict[str, int]:
    write = handle.write  # type: ignore[attr-defined]
    tell = handle.tell  # type: ignore[attr-defined]
    encoded_label = label.encode("utf-8")
    header = (
        _tag(b"118", "release")
        + _tag(b"LSF", "byteorder")
        + _tag(struct.pack("<H", len(variables)), "K")
        + _tag(struct.pack("<Q", rows), "N")
        + _tag(struct.pack("<H", len(encoded_label)) + encoded_label, "label")
        + _tag(b"\x00", "timestamp")  # none: the same dataset gives the same bytes
    )
    offsets = {"stata_dta": 0}
    write(b"<stata_dta>" + _tag(header, "header"))
    offsets["map"] = tell()
    write(_tag(b"\x00" * 8 * len(MAP_TAGS), "map"))  # filled in at the end
    sections = [
        ("variable_types", b"".join(struct.pack("<H", v.stata_type) for v in variables)),
        ("varnames", b"".join(_padded(v.name, 129) for v in variables)),
        ("sortlist", b"\x00" * 2 * (len(variables) + 1)),
        ("formats", b"".join(_padded(v.fmt, 57) for v in variables)),
        ("value_label_names", b"\x00" * 129 * len(variables)),
        ("variable_labels", b"".join(_padded(v.label, 321) for v in variables)),
        ("characteristics", b""),
    ]
    for tag, content in sections:
        offsets[tag] = tell()
        write(_tag(content, tag))
    return offsets


def _write_rows(
    handle: object, strls: object, source: TableSource, spec: TableSpec, variables: list[_Variable]
) -> None:
    import numpy as np

    dtype = np.dtype(
        {
            "names": [v.name for v in variables],
            "formats": [_numpy_format(v) for v in variables],
        }
    )
    observation = 0
    for batch in source.batches(spec.name, 10_000):
        records = np.zeros(batch.num_rows, dtype=dtype)
        for number, variable in enumerate(variables, 1):
            column = batch.column(variable.column)
            records[variable.name] = _cells(column, variable, number, observation, strls)
        handle.write(records.tobytes())  # type: ignore[attr-defined]
        observation += batch.num_rows


def _numpy_format(variable: _Variable) -> str:
    if variable.stata_type == TYPE_STRL:
        return "<u8"
    if variable.stata_type == TYPE_DOUBLE:
        return "<f8"
    if variable.stata_type == TYPE_LONG:
        return "<i4"
    if variable.stata_type == TYPE_BYTE:
        return "i1"
    return f"S{variable.width}"


def _cells(column: pa.Array, variable: _Variable, number: int, first: int, strls: object) -> np.ndarray:
    import numpy as np
    import pyarrow.compute as pc

    kind = variable.kind
    if variable.stata_type == TYPE_STRL:
        keys = np.zeros(len(column), dtype="<u8")
        for index, value in enumerate(column.to_pylist()):
            if not value:
                continue  # (0, 0): the empty string
            observation = first + index + 1
            data = value.encode("utf-8") + b"\x00"
            strls.write(b"GSO" + struct.pack("<IQBI", number, observation, 130, len(data)) + data)  # type: ignore[attr-defined]
            keys[index] = number + (observation << 16)  # v in 2 bytes, o in 6 (format 118)
        return keys
    if kind == "text":
        return np.array([(value or "").encode("utf-8") for value in column.to_pylist()], dtype=f"S{variable.width}")
    if kind == "date":
        days = pc.fill_null(column.cast(pa.int32()), 0).to_numpy().astype("<i8") - EPOCH
        missing = column.is_null().to_numpy(zero_copy_only=False)
        return np.where(missing, MISSING_LONG, days).astype("<i4")
    if variable.stata_type == TYPE_DOUBLE:
        values = pc.fill_null(column.cast(pa.float64()), MISSING_DOUBLE).to_numpy()
        return np.where(np.isnan(values), MISSING_DOUBLE, values)
    if variable.stata_type == TYPE_LONG:
        return pc.fill_null(column.cast(pa.int64()), MISSING_LONG).to_numpy().astype("<i4")
    return pc.fill_null(column.cast(pa.int8()), MISSING_BYTE).to_numpy().astype("i1")
