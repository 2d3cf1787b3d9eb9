"""Turn the bytes of a scraped report into text without guessing silently.

Order: byte-order marks, strict UTF-8, then GB18030 against Big5. Both legacy codecs
accept many byte strings of the other (Big5 decoded as GB18030 is garbage, not an
error), so when both decode we score each result by how much of it is common Chinese
text and keep the better one.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from lawreport.errors import BinaryFileError, DecodeError
from lawreport.resources import common_hanzi

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document (.doc/.xls)"),
    (b"Rar!", "RAR archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"{\\rtf", "RTF document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_CANDIDATES = ("gb18030", "big5")
_MAX_TRUNCATED_TAIL = 3


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None when it may be text."""
    for signature, name in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data[:65536]:
        return "binary data (NUL bytes)"
    return None


def decode_bytes(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode ``data``; ``encoding`` forces a codec (errors are then replaced, with a warning)."""
    if encoding:
        return _decode_forced(data, encoding)
    binary = sniff_binary(data)
    if binary:
        raise BinaryFileError(
            f"not a text file: looks like a {binary}",
            hint="Convert it to .txt or .html first (e.g. pdftotext for PDF).",
        )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strict_or_fail(data, codec)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - _MAX_TRUNCATED_TAIL and error.reason in (
            "unexpected end of data",
            "invalid continuation byte",
        ):
            text = data[: error.start].decode("utf-8")
            return Decoded(text, "utf-8", ("truncated multi-byte character at end of file dropped",))
        utf8_error = error
    return _decode_legacy(data, utf8_error)


def _decode_forced(data: bytes, encoding: str) -> Decoded:
    try:
        codecs.lookup(encoding)
    except LookupError as error:
        raise DecodeError(
            f"unknown encoding {encoding!r}", hint="Use a Python codec name such as gb18030, big5 or utf-16."
        ) from error
    text = data.decode(encoding, errors="replace")
    replaced = text.count("\ufffd")
    warnings = (f"{replaced} undecodable byte sequences replaced with U+FFFD",) if replaced else ()
    return Decoded(text.removeprefix("\ufeff"), encoding.lower(), warnings)


def _decode_strict_or_fail(data: bytes, codec: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"file starts with a {codec} byte-order mark but is not valid {codec} at byte {error.start}",
            hint="The file may be truncated or mix encodings; re-save it or pass --encoding.",
        ) from error


def _decode_legacy(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    decoded: dict[str, str] = {}
    for codec in LEGACY_CANDIDATES:
        try:
            decoded[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise DecodeError(
            f"not valid UTF-8 (byte {utf8_error.start}), GB18030 or Big5: the file may mix encodings",
            hint="Pass --encoding NAME to force one codec; undecodable bytes are then replaced.",
        )
    if len(decoded) == 1:
        codec, text = next(iter(decoded.items()))
        return Decoded(text, codec)
    scores = {codec: common_text_score(text) for codec, text in decoded.items()}
    best = max(LEGACY_CANDIDATES, key=lambda codec: (scores.get(codec, -1.0), codec == "gb18030"))
    warnings: tuple[str, ...] = ()
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] - ranked[1] < 0.1:
        warnings = (f"encoding uncertain between GB18030 and Big5 (chose {best}); check with --encoding",)
    return Decoded(decoded[best], best, warnings)


def common_text_score(text: str) -> float:
    """Share of CJK characters in ``text`` that are among the most common Chinese characters."""
    common = common_hanzi()
    total = hits = 0
    for char in text:
        if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
            total += 1
            hits += char in common
    return hits / total if total else 0.0
