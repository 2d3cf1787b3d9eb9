"""Decoding: every encoding a scraper brings back gives the same normalised text."""

from __future__ import annotations

import codecs

import pytest

from conftest import RAW
from lawreport.errors import BinaryFileError, DecodeError, UsageError
from lawreport.pipeline import process_file
from lawreport.reading.encoding import check_encoding, decode_bytes, sniff_binary

SEEDS = sorted(RAW.glob("*.txt"))
TRADITIONAL_SEED = RAW / "shaoguan_wujiang_zsj_2020_trad.txt"


def normalized_text(path) -> str:
    result = process_file(str(path))
    assert result.error is None, result.error
    return result.normalized.text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("codec", ["gb18030", "utf-16", "utf-8-sig"])
def test_encoded_copy_normalises_like_original(tmp_path, seed, codec):
    copy = tmp_path / seed.name
    copy.write_bytes(seed.read_text(encoding="utf-8").encode(codec))
    assert normalized_text(copy) == normalized_text(seed)


@pytest.mark.parametrize("codec", ["big5", "gbk"])
def test_traditional_seed_in_legacy_codecs(tmp_path, codec):
    copy = tmp_path / f"trad_{codec}.txt"
    copy.write_bytes(TRADITIONAL_SEED.read_text(encoding="utf-8").encode(codec))
    result = process_file(str(copy))
    assert result.source.encoding == ("big5" if codec == "big5" else "gb18030")
    assert result.normalized.text == normalized_text(TRADITIONAL_SEED)
    assert result.normalized.script == "traditional"


def test_big5_is_never_read_as_gb18030():
    text = "法治政府建設年度報告。累計宣傳覆蓋量超過十萬人次,辦件量48萬餘件。"
    data = text.encode("big5")
    data.decode("gb18030")  # the trap: this "works" and yields garbage
    assert decode_bytes(data).text == text


def test_utf16_big_endian_with_bom():
    data = codecs.BOM_UTF16_BE + "二、存在问题".encode("utf-16-be")
    assert decode_bytes(data).text == "二、存在问题"


def test_truncated_utf8_tail_is_dropped_with_warning():
    data = "共召开支委会42次".encode() + "会".encode()[:2]
    decoded = decode_bytes(data)
    assert decoded.text == "共召开支委会42次"
    assert decoded.warnings


def test_mixed_encodings_are_an_error_with_a_hint():
    data = "第一部分".encode() + "第二部分".encode("big5") + b"\xff\xfe\xfd"
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data)
    assert "--encoding" in caught.value.hint


def test_forced_encoding_replaces_bad_bytes_with_warning():
    decoded = decode_bytes("报告".encode() + b"\xff", "utf-8")
    assert decoded.text == "报告\ufffd"
    assert decoded.warnings


def test_unknown_forced_encoding():
    with pytest.raises(DecodeError):
        decode_bytes(b"abc", "no-such-codec")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"abc\x00def", "NUL"),
    ],
)
def test_binary_files_are_refused(data, kind):
    assert kind in sniff_binary(data)
    with pytest.raises(BinaryFileError):
        decode_bytes(data)


# --- Unlikely codecs and whole-file sniffing (issue 17) ----------------------------------------

REPORT = "某区司法局2023年法治政府建设年度报告\n办理案件12件。\n"


def test_a_utf7_file_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "utf7.txt"
    path.write_bytes(REPORT.encode("utf-7"))  # pure ASCII: it used to come out as garbage, status ok
    result = process_file(str(path))
    assert result.error is not None and result.error.error_type == "DecodeError"
    assert "UTF-7" in result.error.message and "iconv -f UTF-7" in result.error.hint


def test_an_hz_file_is_refused_with_a_hint_and_read_when_asked(tmp_path):
    path = tmp_path / "hz.txt"
    path.write_bytes(REPORT.encode("hz"))
    result = process_file(str(path))
    assert result.error is not None and "--encoding hz" in result.error.hint
    from lawreport.options import Options

    assert process_file(str(path), Options(encoding="hz")).indicators[0].text == "12件"


def test_plain_ascii_with_plus_signs_is_still_text():
    assert decode_bytes(b"Total: 1+1 = 2, C++ and a+b-c\n").encoding == "utf-8"


@pytest.mark.parametrize(("codec", "words"), [("utf-7", "refused"), ("unicode_escape", "refused"), ("punycode", "refused"), ("rot13", "not a text encoding"), ("base64", "not a text encoding"), ("latin9x", "unknown encoding")])  # fmt: skip
def test_unlikely_or_unknown_forced_codecs_are_usage_errors(codec, words):
    with pytest.raises(UsageError, match=words):
        check_encoding(codec)
    with pytest.raises(DecodeError):
        decode_bytes(b"abc", codec)  # the library refuses them too, as a file error


def test_a_forced_unlikely_codec_stops_the_cli_before_any_file(tmp_path):
    from typer.testing import CliRunner

    from lawreport.cli import app

    result = CliRunner().invoke(app, ["extract", str(RAW), "-o", str(tmp_path / "out"), "--encoding", "utf-7"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()


def test_nul_bytes_anywhere_make_a_file_binary():
    data = ("办理案件12件。\n" * 10_000).encode()
    assert len(data) > 65536
    assert sniff_binary(data) is None
    assert sniff_binary(data + b"\x00tail") == "binary data (NUL bytes)"


def test_many_control_bytes_make_a_file_binary():
    text = ("办理案件12件。\n" * 100).encode()
    assert sniff_binary(text + b"\x0c" * 50) is None  # form feeds between pages are text
    assert "control bytes" in sniff_binary(text + bytes(range(1, 9)) * 20)
