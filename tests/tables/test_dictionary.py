"""The data dictionary (data/tables/dictionary.toml) documents every column of every table and
nothing else, its code lists agree with the data files that define the same codes, and a
broken dictionary is refused on load."""

from __future__ import annotations

import pytest

from lawreport.errors import DataFileError
from lawreport.indicators.rulepack import builtin_packs, load_ruleset
from lawreport.kinds import builtin_kinds, load_kind
from lawreport.outline.parse import outline_rules
from lawreport.tables import dictionary as dictionary_module
from lawreport.tables.dictionary import MAX_TITLE, code_list, describe_all, dictionary
from lawreport.tables.schemas import WIDE_KEY_COLUMNS, run_specs


def _specs():
    rules = load_ruleset()
    return run_specs(rules.indicator_ids), [rule for rule, _ in rules.indicators]


def test_every_column_is_documented_and_every_entry_is_a_column():
    specs, indicators = _specs()
    documented = dictionary()["table"]
    assert set(documented) == {spec.name for spec in specs}
    for spec in specs:
        columns = spec.columns if spec.name != "indicators_wide" else [name for name, _ in WIDE_KEY_COLUMNS]
        assert sorted(documented[spec.name]["columns"]) == sorted(columns), spec.name
    for doc in describe_all(specs, indicators):
        for column in doc.columns:
            assert column.title and len(column.title) <= MAX_TITLE and column.description, (doc.name, column.name)
            assert not column.description.startswith("(not documented"), (doc.name, column.name)
        assert set(doc.primary_key) <= {column.name for column in doc.columns}


def test_standard_indicator_columns_come_from_the_rule_packs():
    specs, indicators = _specs()
    wide = describe_all(specs, indicators)[3]
    rule = indicators[0]
    column = wide.column(rule.id)
    assert rule.name in column.title and column.type == "number"
    assert set(column.unit.split("/")) == set(rule.units)


def _codes(name):
    from lawreport.kinds import load_kinds

    return {value for value, _ in code_list(name, load_kinds())}


def test_code_lists_agree_with_the_data_files():
    labels = set()
    for name in builtin_kinds():
        labels.update(load_kind(name).labels)
    assert _codes("label") == labels
    styles = {style.name for style in outline_rules().styles}
    assert _codes("style") == styles | {"title", "preamble", "closing", "enumeration", "carved"}
    assert _codes("kind") == set(builtin_kinds())
    core = builtin_packs()[0]
    assert _codes("qualifier") == {"exact", *(q for table in core.qualifiers.values() for q in table.values())}
    assert _codes("unit_kind") == {kind for _, kind in core.units.values()}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[codes]\n[table.t]\ntitle = "x"\ndescription = "y"\nprimary_key = []\nextra = 1\n', "unknown key"),
        ('[codes]\n[table.t]\ntitle = "' + "x" * 81 + '"\ndescription = "y"\nprimary_key = []\n', "longer than 80"),
        (
            '[codes]\n[table.t]\ntitle = "x"\ndescription = "y"\nprimary_key = []\n'
            '[table.t.columns.c]\ntitle = "x"\ndescription = "y"\ncodes = "nope"\n',
            "no code list",
        ),
        (
            '[codes]\n[table.t]\ntitle = "x"\ndescription = "y"\nprimary_key = []\n'
            '[table.t.columns.c]\ntitle = "x"\ndescription = "y"\nrequired = "yes"\n',
            "true or false",
        ),
    ],
)
def test_a_broken_dictionary_is_refused(monkeypatch, text, problem):
    dictionary.cache_clear()
    monkeypatch.setattr(dictionary_module, "data_text", lambda *parts: text)
    try:
        with pytest.raises(DataFileError, match=problem):
            dictionary()
    finally:
        dictionary.cache_clear()
