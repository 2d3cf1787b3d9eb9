"""Every packaged data file is loaded, validated and has its examples run (STYLE.md principle 3):
pattern tables, punctuation, report kinds. A data file no loader knows is an error too."""

from __future__ import annotations

from importlib import resources

import pytest
import regex

from lawreport.errors import DataFileError
from lawreport.indicators.meaning import meaning_cues
from lawreport.indicators.rulepack import builtin_pack_path, builtin_packs, load_pack
from lawreport.indicators.scope import scope_lexicon
from lawreport.indicators.subjects import subject_lexicon
from lawreport.kinds import builtin_kinds, load_kind, load_kinds, recognize_kind
from lawreport.metadata.agency import describe_patterns
from lawreport.metadata.bodies import agencies, file_agency, is_national, junk_agency, self_reference_level
from lawreport.metadata.cues import cue_confidence
from lawreport.metadata.gazetteer import Region, gazetteer, place_names, towns
from lawreport.metadata.places import document_number_region, resolve_region
from lawreport.outline.labels import label_heading
from lawreport.outline.parse import outline_rules
from lawreport.patterns import load_table
from lawreport.qa.checks import check_patterns
from lawreport.tables.dictionary import dictionary
from lawreport.text.chrome import chrome_rules
from lawreport.text.normalize import normalize_patterns
from lawreport.text.title import title_patterns
from lawreport.zh.dates import date_patterns
from lawreport.zh.fragments import zh_fragments
from lawreport.zh.hanzi import common_hanzi
from lawreport.zh.numerals import numeral_tables
from lawreport.zh.punctuation import punctuation
from lawreport.zh.segmenter import mixed_words, user_words

PATTERN_TABLES = [title_patterns, normalize_patterns, describe_patterns, check_patterns, date_patterns]
PATTERNS = [entry for table in PATTERN_TABLES for entry in table().all()]

# Each data file and what loads (and validates) it.
LOADERS = {
    "zh/numerals.toml": numeral_tables,
    "zh/punctuation.toml": punctuation,
    "zh/dates.toml": date_patterns,
    "zh/common_hanzi.txt": common_hanzi,
    "zh/jieba_userdict.txt": user_words,
    "zh/jieba_mixed_words.txt": mixed_words,
    "text/chrome.toml": chrome_rules,
    "text/title.toml": title_patterns,
    "text/normalize.toml": normalize_patterns,
    "metadata/describe.toml": describe_patterns,
    "metadata/gazetteer/divisions.tsv": gazetteer,
    "metadata/places.toml": place_names,
    "metadata/gazetteer/towns.tsv": towns,
    "metadata/agencies.toml": agencies,
    "metadata/cues.toml": cue_confidence,
    "outline/styles.toml": outline_rules,
    "indicators/subjects.toml": subject_lexicon,
    "indicators/meaning.toml": meaning_cues,
    "indicators/scope.toml": scope_lexicon,
    "qa/checks.toml": check_patterns,
    "tables/dictionary.toml": dictionary,
    "kinds/*": lambda: [load_kind(name) for name in builtin_kinds()],
    "rules/*": lambda: [*builtin_packs(), load_pack(builtin_pack_path("work_report"), builtin=True)],
}


def _data_files() -> set[str]:
    found: set[str] = set()

    def walk(folder, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.name in ("__init__.py", "__pycache__"):
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            else:
                found.add(f"{prefix}{entry.name}")

    walk(resources.files("lawreport.data"), "")
    return found


def test_every_data_file_has_a_loader_and_loads():
    covered = {name for name in LOADERS if not name.endswith("*")}
    folders = tuple(name[:-1] for name in LOADERS if name.endswith("*"))
    unknown = sorted(name for name in _data_files() if name not in covered and not name.startswith(folders))
    assert not unknown, f"data files no loader validates: {unknown}"
    for loader in LOADERS.values():
        assert loader()


@pytest.mark.parametrize("entry", PATTERNS, ids=lambda entry: entry.where)
def test_pattern_examples(entry):
    assert entry.examples, f"{entry.where} has no examples"
    assert entry.problems() == []


def test_outline_signature_examples():
    assert outline_rules().signature.problems() == []


@pytest.mark.parametrize("example", punctuation().examples, ids=lambda example: example[1])
def test_punctuation_examples(example):
    marks = punctuation()
    name, text, parts = example
    chars = {"sentence_end": marks.sentence_end, "clause_break": marks.clause_break, "bracket": marks.bracket}[name]
    assert marks.split(text, chars) == list(parts)


def test_a_clause_break_is_every_sentence_end_and_more():
    marks = punctuation()
    assert set(marks.sentence_end) < set(marks.clause_break)


@pytest.mark.parametrize("name", builtin_kinds())
def test_kind_recognition_examples(name):
    kinds = load_kinds()
    kind = load_kind(name)
    for title in kind.recognition.examples:
        assert recognize_kind(title, "", kinds)[0].name == name, title
    for opening in kind.recognition.body_examples:
        assert recognize_kind(None, opening, kinds)[0].name == name, opening
    for title in kind.recognition.counter_examples:
        assert recognize_kind(title, "", kinds)[0].name != name, title


@pytest.mark.parametrize("name", builtin_kinds())
def test_kind_label_examples(name):
    kind = load_kind(name)
    for rule in kind.label_rules:
        for heading in rule.examples:
            assert label_heading(heading, None, kind)[0] == rule.name, heading


def _before_number(example: str) -> tuple[str, str, str]:
    """(paragraph opening, sentence, clause) of the text before a number that follows ``example``."""
    sentence = regex.split(r"[。;;!?!?]", example)[-1]
    return example, sentence, regex.split(r"[,,;;。:]", example)[-1]


@pytest.mark.parametrize("name", [name for name in builtin_kinds() if load_kind(name).results is not None])
def test_kind_result_examples(name):
    results = load_kind(name).results
    for example in results.examples:
        assert results.reports_result(*_before_number(example), results.example_year), example
    for example in results.counter_examples:
        assert not results.reports_result(*_before_number(example), results.example_year), example


def test_a_text_no_kind_recognises_is_read_as_fazhi_with_no_cue():
    kind, cue = recognize_kind("某某公司年会致辞", "各位同事,大家好。", load_kinds())
    assert (kind.name, cue) == ("fazhi", "none")


@pytest.mark.parametrize(
    ("name", "heading", "year"),
    [("work_report", "一、2019年工作回顾", 2020), ("work_report", "二、2020年工作安排", 2020)],
)
def test_kind_heading_years(name, heading, year):
    kind = load_kind(name)
    found = [int(p.search(heading).group("year")) + add for p, add in kind.heading_years if p.search(heading)]
    assert found[:1] == [year]


@pytest.mark.parametrize("example", place_names().examples, ids=lambda example: example[0])
def test_place_name_examples(example):
    text, place = example
    region = resolve_region([(text, 6.0)])
    assert (region.province or "", region.city or "", region.county or "") == place


@pytest.mark.parametrize("example", place_names().document_number_examples, ids=lambda example: example[0][-14:])
def test_document_number_examples(example):
    text, province = example
    region = document_number_region(text)
    assert (region.province if region else "") == province


@pytest.mark.parametrize("example", agencies().examples, ids=lambda example: example[0])
def test_agency_filing_examples(example):
    text, region, filed = example
    assert (file_agency(text, Region(*(place or None for place in region))) or "") == filed


@pytest.mark.parametrize("example", agencies().voice_examples, ids=lambda example: example[0][:12])
def test_voice_examples(example):
    text, level, body = example
    voice = self_reference_level(text)
    assert (voice.level, voice.body) == (level, body)


def test_national_and_bare_place_examples():
    data = agencies()
    examples, counter_examples = data.national_examples
    assert all(is_national(name) for name in examples)
    assert not any(is_national(name) for name in counter_examples)
    examples, counter_examples = data.bare_examples
    assert all(data.anonymous.match(name) for name in examples)
    assert not any(data.anonymous.match(name) for name in counter_examples)


@pytest.mark.parametrize("rule", agencies().junk, ids=lambda rule: rule[1][:30])
def test_junk_agency_examples(rule):
    pattern, _, examples, counter_examples = rule
    assert all(pattern.search(name) for name in examples)
    assert not any(pattern.search(name) for name in counter_examples)
    assert all(junk_agency(name) for name in examples)
    assert not any(junk_agency(name) for name in counter_examples)


def test_a_kind_has_every_label_once():
    kind = load_kind("fazhi")
    assert len(set(kind.labels)) == len(kind.labels)
    assert {"appendix", "closing", "unknown"} <= set(kind.labels)
    assert set(kind.required) <= set(kind.parts) and kind.future_part in kind.parts


TABLE = """
[[year]]
pattern = '(\\d{4})年'
examples = ["2023年"]
"""


def test_a_pattern_table_refuses_unknown_keys_and_bad_references():
    assert load_table("t.toml", TABLE, zh_fragments())["year"].search("2023年")
    with pytest.raises(DataFileError, match="unknown key"):
        load_table("t.toml", TABLE + 'exemples = ["2023年"]\n', zh_fragments())
    with pytest.raises(DataFileError, match=r"fragment \{Nope\} is not defined"):
        load_table("t.toml", TABLE.replace("年'", "{Nope}'"), zh_fragments())
    with pytest.raises(DataFileError, match="cannot be redefined"):
        load_table("t.toml", "[fragments]\nSentenceEnd = 'x'\n" + TABLE, zh_fragments())
    with pytest.raises(DataFileError, match="missing pattern"):
        load_table("t.toml", TABLE, zh_fragments(), required=("month",))


def test_a_pattern_that_misses_its_example_is_reported():
    table = load_table("t.toml", TABLE.replace('["2023年"]', '["二〇二三年"]'), zh_fragments())
    assert table.all()[0].problems() == ["t.toml [[year]]: does not match its example '二〇二三年'"]


def test_ordinals_are_written_with_the_first_form_of_each_digit():
    assert numeral_tables().ordinal_forms == "一二三四五六七八九十"


@pytest.mark.parametrize("name", builtin_kinds())
def test_kind_carve_examples(name):
    for rule in load_kind(name).carves:
        for example in rule.examples:
            patterns = [p for p in (rule.paragraph, rule.heading) if p is not None]
            assert any(p.search(example) for p in patterns), (rule.label, example)


def test_an_attachment_label_is_chrome_unless_the_report_goes_on_after_it():
    from lawreport.text.chrome import LineKind, classify_lines

    report = ["某市人民政府工作报告", "各位代表:现在,我代表市人民政府向大会报告工作。", "附件", "有关名词解释"]
    assert classify_lines(report)[2] is LineKind.BODY
    page = ["某市人民政府工作报告", "各位代表:现在,我代表市人民政府向大会报告工作。", "附件:", "相关文章"]
    assert classify_lines(page)[2] is LineKind.CHROME
