"""Rule packs: validation on load, every rule's examples, user packs, the rules commands."""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from lawreport.cli import app
from lawreport.errors import DataFileError
from lawreport.indicators.find import extract_indicators
from lawreport.indicators.rulecheck import check_examples
from lawreport.indicators.rulepack import build_ruleset, builtin_packs, load_pack, load_ruleset
from lawreport.indicators.scan import RuleTimeoutError
from lawreport.options import Options
from lawreport.patterns import resolve_fragments
from lawreport.pipeline import process_file, process_text
from lawreport.records import SourceText

runner = CliRunner()
PACK = '[pack]\nname = "mine"\nversion = "0.1.0"\n'


def make_pack(folder, **files):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(files.pop("pack", PACK), encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_every_builtin_rule_example_passes():
    count, failures = check_examples(load_ruleset())
    assert failures == []
    assert count >= 40


def test_builtin_packs_are_core_and_fazhi():
    assert [pack.name for pack in builtin_packs()] == ["core", "fazhi"]
    assert load_ruleset().version == "core@1.0.0+fazhi@1.0.0"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {
                "indicators": '[[indicator]]\nid = "x"\nname = "X"\ncontext = "a"\nunits = ["次"]\nexamples = ["a1次"]\ncolour = "red"\n'
            },
            "unknown key(s) colour",
        ),
        (
            {
                "indicators": '[[indicator]]\nid = "x"\nname = "X"\ncontext = "(unclosed"\nunits = ["次"]\nexamples = ["a"]\n'
            },
            "bad regular expression",
        ),
        (
            {
                "indicators": '[[indicator]]\nid = "Bad-Id"\nname = "X"\ncontext = "a"\nunits = ["次"]\nexamples = ["a"]\n'
            },
            "lower_snake_case",
        ),
        (
            {"indicators": '[[indicator]]\nid = "x"\nname = "X"\ncontext = "a"\nunits = ["次"]\nexamples = []\n'},
            "at least one example",
        ),
        ({"reject": '[[reject]]\nname = "r"\npattern = "a"\n'}, "missing key(s) examples"),
        ({"grammar": '[qualifiers.prefix]\n"大概" = "roughly"\n'}, "unknown qualifier 'roughly'"),
        ({"units": '[[unit]]\nkind = \'count\'\nforms = { "根" = "根" }\n'}, "expected a list of strings"),
        ({"indicators": "this is = not toml ["}, "invalid TOML"),
        ({"pack": "[pack]\nname = 'x'\n"}, "missing key(s) version"),
    ],
)
def test_broken_pack_errors_name_file_rule_and_problem(tmp_path, files, message):
    folder = make_pack(tmp_path / "broken", **files)
    with pytest.raises(DataFileError) as caught:
        load_ruleset((str(folder),))
    assert message in str(caught.value)
    assert str(folder) in str(caught.value)


def test_missing_pack_toml(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileError, match=r"pack\.toml is missing"):
        load_pack(tmp_path / "empty")


def test_fragment_references_resolve_and_cycles_are_errors():
    assert resolve_fragments({"A": "x{B}", "B": "y"}, "A") == "x(?:y)"
    with pytest.raises(DataFileError, match="cycle"):
        resolve_fragments({"A": "{B}", "B": "{A}"}, "A")
    with pytest.raises(DataFileError, match="not defined"):
        resolve_fragments({"A": "{Nope}"}, "A")


def test_quantifier_braces_are_not_references():
    assert resolve_fragments({"A": r"\d{1,3}{B}", "B": "x"}, "A") == r"\d{1,3}(?:x)"


def test_user_pack_adds_unit_indicator_and_reject(tmp_path):
    folder = make_pack(
        tmp_path / "fire",
        units='[[unit]]\nkind = \'count\'\nforms = { "根" = ["根"] }\n',
        indicators='[[indicator]]\nid = "fire_inspections"\nname = "消防检查次数"\ncontext = "消防检查"\n'
        'units = ["次"]\nexamples = [{ text = "开展消防检查120次", value = 120, unit = "次" }]\n',
        reject='[[reject]]\nname = "pipe_codes"\npattern = "管线\\\\d+号"\nexamples = [{ text = "管线12号", values = [12] }]\n',
    )
    rules = load_ruleset((str(folder),))
    assert rules.version.endswith("+mine@0.1.0")
    found = extract_indicators("开展消防检查120次,更换水管30根。", None, rules)
    assert [(i.indicator_id, str(i.value), i.unit) for i in found] == [
        ("fire_inspections", "120", "次"),
        ("", "30", "根"),
    ]
    assert check_examples(rules)[1] == []


def test_later_pack_overrides_indicator_with_same_id(tmp_path):
    folder = make_pack(
        tmp_path / "override",
        indicators='[[indicator]]\nid = "study_sessions"\nname = "学法次数"\ncontext = "学法"\nunits = ["次"]\n'
        'examples = [{ text = "学法12次", value = 12, unit = "次" }]\n',
    )
    rules = build_ruleset([*builtin_packs(), load_pack(folder)])
    names = {rule.id: rule.name for rule, _ in rules.indicators}
    assert names["study_sessions"] == "学法次数"


def test_wide_columns_without_compiling_every_kinds_rules_are_those_of_the_compiled_rule_sets(tmp_path):
    folder = make_pack(
        tmp_path / "override",
        indicators='[[indicator]]\nid = "study_sessions"\nname = "学法次数"\ncontext = "学法"\nunits = ["次"]\n'
        'examples = [{ text = "学法12次", value = 12, unit = "次" }]\n'
        '[[indicator]]\nid = "fire_inspections"\nname = "消防检查次数"\ncontext = "消防检查"\nunits = ["次"]\n'
        'examples = [{ text = "开展消防检查120次", value = 120, unit = "次" }]\n',
    )
    for options in (Options(), Options(rules=(str(folder),))):
        compiled = list(options.ruleset().indicator_ids)  # the reference: build_ruleset's order, per kind
        for kind in options.report_kinds():
            compiled.extend(name for name in options.ruleset(kind).indicator_ids if name not in compiled)
        assert options.indicator_ids() == compiled
    ids = Options(rules=(str(folder),)).indicator_ids()
    default_ids = Options(rules=(str(folder),)).ruleset().indicator_ids
    assert default_ids[-2:] == ["study_sessions", "fire_inspections"]  # a user's rule moves to the end
    assert ids.count("study_sessions") == 1 and ids[: len(default_ids)] == default_ids


def test_catastrophic_reject_rule_becomes_an_error_row_naming_it(tmp_path):
    folder = make_pack(
        tmp_path / "slow",
        reject='[[reject]]\nname = "backtracker"\npattern = "(\\\\p{Han}|\\\\p{Han})*[a-z]"\nexamples = []\n',
    )
    corpus = tmp_path / "raw"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥共召开会议42次。\n", encoding="utf-8"
    )
    (corpus / "b.txt").write_text("全年办理案件5件。\n", encoding="utf-8")
    options = Options(rules=(str(folder),), rule_timeout=0.3)
    result = process_file(str(corpus / "a.txt"), options)
    assert result.error is not None
    assert result.error.error_type == RuleTimeoutError.error_type
    assert "backtracker" in result.error.message and result.error.stage == "indicators"
    out = tmp_path / "out"
    cli = runner.invoke(
        app, ["extract", str(corpus), "-o", str(out), "-q", "--rules", str(folder), "--rule-timeout", "0.3"]
    )
    assert cli.exit_code == 0, cli.output
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["error_type"]) == ["RuleTimeout"]
    assert (pd.read_csv(out / "documents.csv")["status"] == "ok").sum() == 1


def test_broken_user_pack_is_a_usage_error(tmp_path):
    folder = make_pack(tmp_path / "bad", indicators="[[indicator]]\nid = 3\n")
    result = runner.invoke(app, ["extract", "data/raw", "-o", str(tmp_path / "out"), "--rules", str(folder)])
    assert result.exit_code == 2
    assert "indicators.toml" in result.output


def test_rules_new_creates_a_pack_that_tests_green(tmp_path):
    folder = tmp_path / "newpack"
    created = runner.invoke(app, ["rules", "new", str(folder)])
    assert created.exit_code == 0, created.output
    assert (folder / "pack.toml").is_file() and (folder / "indicators.toml").is_file()
    tested = runner.invoke(app, ["rules", "test", str(folder)])
    assert tested.exit_code == 0, tested.output
    assert "0 failed" in tested.output
    assert runner.invoke(app, ["rules", "new", str(folder)]).exit_code == 2


def test_rules_test_exits_1_on_a_failing_example(tmp_path):
    folder = make_pack(
        tmp_path / "wrong",
        indicators='[[indicator]]\nid = "x"\nname = "X"\ncontext = "消防"\nunits = ["次"]\n'
        'examples = [{ text = "开展消防检查120次", value = 121, unit = "次" }]\n',
    )
    result = runner.invoke(app, ["rules", "test", str(folder)])
    assert result.exit_code == 1
    assert "value 120 != 121" in result.output


def test_rules_list_shows_packs_and_indicators():
    result = runner.invoke(app, ["rules", "list"])
    assert result.exit_code == 0
    assert "fazhi" in result.output and "reconsideration_cases" in result.output


def test_indicators_command(tmp_path):
    shutil.copy("data/raw/guangzhou_panyu_zsj_2023.txt", tmp_path / "r.txt")
    result = runner.invoke(app, ["indicators", str(tmp_path / "r.txt")])
    assert result.exit_code == 0
    assert "157.83万宗" in result.output


# --- One schema for rule packs (issue 17) ------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"grammar": "[fragments]\nX = " + "[" * 5000 + "]" * 5000 + "\n"}, "nested 5000 deep"),
        ({"grammar": "[qualifiers]\nprefix = 3\n"}, "expected a table, got a number"),
        ({"units": "[[unit]]\nkind = 1\nforms = 3\n"}, "expected a unit kind"),
        ({"pack": "[pack]\nname = 123\nversion = '1.0'\n"}, "expected a name of letters"),
        ({"pack": "[pack]\nname = 'mine'\nversion = 1.5\n"}, 'expected a version string such as "1.0.0"'),
        ({"pack": "[pack]\nname = 'a+b@c'\nversion = '1.0'\n"}, "'a+b@c' is not a name"),
        (
            {"indicators": '[[indicator]]\nid = 5\nname = "x"\ncontext = "a"\nunits = ["次"]\nexamples = ["a1次"]\n'},
            "expected an id in lower_snake_case",
        ),
        ({"reject": "reject = 5\n"}, "expected a list of tables"),
        (
            {"reject": '[[reject]]\nname = ["a"]\npattern = "a"\nexamples = [{text = 1, values = [1]}]\n'},
            "expected a rule name",
        ),
        (
            {"reject": '[[reject]]\nname = "r"\npattern = "a"\nexamples = [{text = "a", values = ["1"]}]\n'},
            "expected a number, got a string",
        ),
        ({"grammar": "[fragments]\nUnit = 'x'\n"}, "Unit cannot be defined here"),
        ({"grammar": "[fragments]\nChineseDigit = '[0-9]'\n"}, "ChineseDigit cannot be defined here"),
        ({"grammar": "[fragments]\nlower = 'x'\n"}, "is not a fragment name in CamelCase"),
        ({"grammar": "[targets]\ncues = 'x'\n"}, "expected a list of strings"),
        ({"grammar": "[chinese_numerals]\nsmall_units = [1]\n"}, "expected a string, got a number"),
    ],
)
def test_one_schema_refuses_every_wrong_type_name_and_depth(tmp_path, files, message):
    folder = make_pack(tmp_path / "broken", **files)
    with pytest.raises(DataFileError) as caught:
        load_ruleset((str(folder),))
    assert message in str(caught.value)
    assert str(folder) in str(caught.value)


def test_a_pack_that_loads_never_fails_a_run(tmp_path):
    """Every value a schema lets through is one the run can use: the odd but valid pack works."""
    folder = make_pack(
        tmp_path / "odd",
        pack="[pack]\nname = '中文包'\nversion = '2.0-rc1'\n",
        units="[[unit]]\nkind = 'count'\nforms = { '根' = ['根', '條'] }\n",
        grammar="[qualifiers.prefix]\n'大概' = 'approx'\n[targets]\ncues = ['力求']\n",
        reject="[idioms]\nwords = ['三根']\n",
    )
    rules = load_ruleset((str(folder),))
    found = extract_indicators("力求更换水管大概30根,三根不算。", None, rules)
    assert [(str(item.value), item.unit, item.qualifier, item.is_target) for item in found] == [
        ("30", "根", "approx", True)
    ]


@pytest.mark.parametrize("name", ['x"y', "a b", "a+b", "x\ny"])
def test_rules_new_refuses_a_name_no_pack_can_have_and_writes_nothing(tmp_path, name):
    result = runner.invoke(app, ["rules", "new", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "cannot name a rule pack" in result.output
    assert list(tmp_path.iterdir()) == []


def test_rules_new_writes_a_valid_pack_for_any_allowed_name(tmp_path):
    folder = tmp_path / "中文包-2.0"
    assert runner.invoke(app, ["rules", "new", str(folder)]).exit_code == 0
    assert load_pack(folder).name == "中文包-2.0"
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no staging folder left


def test_target_cues_run_under_the_timeout_and_name_their_file(tmp_path):
    folder = make_pack(tmp_path / "cues", grammar="[targets]\ncues = ['(\\p{Han}|\\p{Han})*[a-z]']\n")
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉共召开会议42次。"
    started = time.perf_counter()
    with pytest.raises(RuleTimeoutError) as caught:
        extract_indicators(text, None, load_ruleset((str(folder),), 0.3))
    assert time.perf_counter() - started < 30  # it ran past 120 s with no timeout at all
    assert "target cues" in caught.value.message and f"{folder}/grammar.toml" in caught.value.message


def test_the_timeout_hint_names_the_grammar_that_timed_out(tmp_path):
    assert "built-in pack core" in load_ruleset().grammar_hint
    folder = make_pack(tmp_path / "mine", grammar="[fragments]\nRangeSeparator = '(?:至|到)'\n")
    hint = load_ruleset((str(folder),)).grammar_hint
    assert f"{folder}/grammar.toml" in hint and "built-in" not in hint


def test_a_slow_pack_is_bounded_per_document_not_per_call(tmp_path):
    """Each call stays under --rule-timeout, but together they would take minutes."""
    folder = make_pack(
        tmp_path / "slowish",
        indicators='[[indicator]]\nid = "slow"\nname = "慢"\ncontext = \'(?:\\p{Han}|\\p{Han}){0,18}\\d\'\n'
        'units = ["次"]\nexamples = ["开展1次"]\n',
    )
    text = "某局2022年法治政府建设报告\n一、工作\n" + "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑召开会议42次。" * 200
    options = Options(rules=(str(folder),), rule_timeout=5, time_budget=1)
    source = SourceText("slow.txt", text, "utf-8", "txt", len(text.encode()))
    started = time.perf_counter()
    result = process_text("slow.txt", source, options)
    assert time.perf_counter() - started < 30
    assert result.error is not None and result.error.error_type == "TimeBudget"
    assert result.error.stage == "indicators" and "time budget of 1 s" in result.error.message


def test_rules_list_and_test_cover_every_kinds_packs():
    ids = {line.split(",")[0] for line in runner.invoke(app, ["rules", "list", "-f", "csv"]).stdout.splitlines()}
    assert {"reconsideration_cases", "gdp_growth"} <= ids  # fazhi's and the work-report panel's
    only = runner.invoke(app, ["rules", "list", "--kind", "work_report", "-f", "csv"]).stdout
    assert "gdp_growth" in only and "reconsideration_cases" not in only
    tested = runner.invoke(app, ["rules", "test"])
    assert tested.exit_code == 0 and "core@1.0.0+fazhi" in tested.output and "core@1.0.0+work_report" in tested.output
    assert runner.invoke(app, ["rules", "test", "--kind", "nosuch"]).exit_code == 2
