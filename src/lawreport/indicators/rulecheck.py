"""Run the examples that every rule carries (``lawreport rules test``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lawreport.indicators.find import extract_indicators
from lawreport.indicators.rulepack import RuleSet


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    source: str
    text: str
    problem: str


def check_examples(rules: RuleSet) -> tuple[int, list[ExampleFailure]]:
    """(number of examples run, failures) over every reject and indicator rule."""
    failures: list[ExampleFailure] = []
    count = 0
    for rule, _ in rules.rejects:
        for example in rule.examples:
            count += 1
            found = extract_indicators(example.text, None, rules)
            bad = [item.text for item in found if item.value is not None and float(item.value) in example.values]
            if bad:
                failures.append(
                    ExampleFailure(
                        f"reject:{rule.name}", rule.source, example.text, f"still extracted {', '.join(bad)}"
                    )
                )
    for rule, _ in rules.indicators:
        for example in rule.examples:
            count += 1
            found = extract_indicators(example.text, None, rules)
            hits = [item for item in found if item.indicator_id == rule.id]
            if not hits:
                got = ", ".join(f"{item.text}->{item.indicator_id or '-'}" for item in found) or "nothing"
                failures.append(
                    ExampleFailure(f"indicator:{rule.id}", rule.source, example.text, f"not found (got {got})")
                )
                continue
            item = hits[0]
            if example.value is not None and item.value != Decimal(str(example.value)):
                failures.append(
                    ExampleFailure(
                        f"indicator:{rule.id}", rule.source, example.text, f"value {item.value} != {example.value}"
                    )
                )
            if example.unit is not None and item.unit != example.unit:
                failures.append(
                    ExampleFailure(
                        f"indicator:{rule.id}", rule.source, example.text, f"unit {item.unit} != {example.unit}"
                    )
                )
        for text in rule.counter_examples:
            count += 1
            if any(item.indicator_id == rule.id for item in extract_indicators(text, None, rules)):
                failures.append(ExampleFailure(f"indicator:{rule.id}", rule.source, text, "fired on a counter-example"))
    return count, failures


SKELETON = {
    "pack.toml": """# A lawreport rule pack. Use it with: lawreport extract --rules PATH
# Check it with: lawreport rules test PATH
[pack]
name = "{name}"
version = "0.1.0"
description = "What this pack adds."
""",
    "indicators.toml": """# Named indicators. A quantity found by the grammar gets the indicator of the first
# rule whose `context` regex occurs in the words before it in its clause and whose
# `units` holds its canonical unit (see `lawreport rules list` for the units).
#
# [[indicator]]
# id = "fire_inspections"            # lower_snake_case, the column in indicators_wide
# name = "消防检查次数"                # the standard name written to the `indicator` column
# context = '消防(?:安全)?检查'        # regex, `regex` module syntax
# units = ["次", "场次"]
# examples = [{ text = "开展消防检查120次", value = 120, unit = "次" }]
# counter_examples = ["消防检查发现隐患3处"]

[[indicator]]
id = "example_indicator"
name = "示例指标"
context = '示例'
units = ["次"]
examples = [{ text = "开展示例活动12次", value = 12, unit = "次" }]
""",
    "reject.toml": """# Extra things that are never indicators. A candidate is dropped when a pattern
# matches a span of its sentence that overlaps its number.
#
# [[reject]]
# name = "project_codes"
# pattern = '工程\\d+号'
# examples = [{ text = "推进工程12号项目", values = [12] }]

# [idioms]
# words = ["三零单位"]   # fixed phrases built on numerals
""",
    "units.toml": """# Extra measure words: canonical unit = [written forms].
# [[unit]]
# kind = "count"
# forms = { "根" = ["根"] }
""",
    "grammar.toml": """# Override or add named fragments and qualifier words (see the core pack for all).
# [qualifiers.prefix]
# "大概" = "approx"
""",
}


def write_skeleton(folder: str) -> list[str]:
    """Create a commented skeleton pack in ``folder`` (which must not exist or be empty),
    named after the folder. The pack is written to a temporary folder beside it and loaded
    (validated) before it is moved into place: a pack that would not load is never left behind."""
    import json
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from lawreport.errors import DataFileError, UsageError
    from lawreport.indicators.rulepack import PACK_NAME, load_pack
    from lawreport.schema import validate

    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{folder} exists and is not empty", hint="Choose a new folder for the pack.")
    name = target.resolve().name
    try:
        validate("pack name", name, PACK_NAME)
    except DataFileError as error:
        raise UsageError(
            f"the folder name {name!r} cannot name a rule pack: {error.message.removeprefix('pack name: ')}",
            hint="Name the folder with letters, digits, _ . or - (e.g. my_pack).",
        ) from error
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    try:
        for file_name, text in SKELETON.items():
            # json.dumps writes a valid TOML basic string for any name.
            (staging / file_name).write_text(
                text.replace('"{name}"', json.dumps(name, ensure_ascii=False)), encoding="utf-8"
            )
        load_pack(staging)
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [str(target / file_name) for file_name in SKELETON]
