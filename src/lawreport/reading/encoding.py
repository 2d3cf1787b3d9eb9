"""Turn the bytes of a scraped report into text without guessing silently.

Order: byte-order marks, strict UTF-8, then GB18030 against Big5. Both legacy codecs
accept many byte strings of the other (Big5 decoded as GB18030 is garbage, not an
error), so when both decode we score each result by how much of it is common Chinese
text and keep the better one.
"""

from __future__ import annotations

import codecs
import difflib
from dataclasses import dataclass

import regex

from lawreport.errors import BinaryFileError, DecodeError, OptionError, UsageError
from lawreport.zh.hanzi import common_hanzi, is_cjk

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
# C0 control bytes that never occur in a text file (tab, line breaks, form feed, DOS EOF do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1a") + b"\x7f"
_MAX_CONTROL_SHARE = 0.01
# Codecs no Chinese report is written in; most turn any ASCII file into "text". UTF-7 in
# particular decodes every ASCII file (and hides markup from filters).
UNLIKELY_CODECS = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "palmos", "mbcs", "oem"}
)
_UTF7_RUN = regex.compile(rb"\+[A-Za-z0-9+/]{3,}-?")
COMMON_ENCODINGS = ("utf-8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf-16", "utf-16-le", "utf-16-be")
_CONVERT_HINT = "Convert it to UTF-8 first, e.g. iconv -f {codec} -t UTF-8 FILE > FILE.txt"


def check_encoding(name: str) -> str:
    """The canonical name of a codec a user asked for; unknown, non-text and unlikely codecs
    (UTF-7, unicode_escape, punycode, ...) are an :class:`OptionError` with a hint."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        close = difflib.get_close_matches(str(name).lower(), COMMON_ENCODINGS, n=1)
        raise OptionError(
            f"--encoding {name!r}: unknown encoding",
            hint=(f"Did you mean {close[0]}? " if close else "")
            + f"Use a codec name such as {', '.join(COMMON_ENCODINGS[:5])}, or leave it out to detect it.",
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise OptionError(
            f"--encoding {name!r}: not a text encoding", hint="Use a character encoding such as gb18030 or big5."
        )
    if info.name in UNLIKELY_CODECS:
        raise OptionError(
            f"--encoding {name!r} is refused: no report is written in it, and it turns any ASCII file into text",
            hint=_CONVERT_HINT.format(codec=info.name.upper()) + ", then read it without --encoding.",
        )
    return info.name


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None when it may be text. Looks at the whole
    file, at C speed: a NUL byte anywhere, or more than 1% control bytes, is not text."""
    for signature, name in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data:
        return "binary data (NUL bytes)"
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > 8 and controls > _MAX_CONTROL_SHARE * len(data):
        return f"binary data ({controls} control bytes)"
    return None


def sniff_seven_bit(data: bytes) -> str | None:
    """The 7-bit encoding an ASCII-only file is really written in (utf-7, hz), if its escape
    sequences decode to Chinese; None for plain ASCII."""
    if not data.isascii():
        return None
    if b"+" in data and _UTF7_RUN.search(data) and _decodes_to_chinese(data, "utf-7"):
        return "utf-7"
    if b"~{" in data and _decodes_to_chinese(data, "hz"):
        return "hz"
    return None


def _decodes_to_chinese(data: bytes, codec: str) -> bool:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    return sum(1 for char in text if "\u4e00" <= char <= "\u9fff") >= 2


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
    seven_bit = sniff_seven_bit(data)
    if seven_bit == "utf-7":
        raise DecodeError(
            "the file is ASCII that encodes Chinese as UTF-7 (+ZYdO- sequences): UTF-7 is not read",
            hint=_CONVERT_HINT.format(codec="UTF-7") + ".",
        )
    if seven_bit == "hz":
        raise DecodeError(
            "the file is ASCII that encodes Chinese as HZ (~{ ... ~} sequences)",
            hint="Pass --encoding hz to read it.",
        )
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
        check_encoding(encoding)
    except UsageError as error:
        raise DecodeError(error.message, hint=error.hint) from error
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
        if is_cjk(char):
            total += 1
            hits += char in common
    return hits / total if total else 0.0
