"""``lawreport eval``: score the pipeline against a hand-made reference (:func:`lawreport.qa.evaluate.evaluate`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from lawreport.cli.app import app, stderr, stdout
from lawreport.cli.errors import exit_with, guarded
from lawreport.cli.flags import KindFlag, KindsFlag, options_from_flags
from lawreport.cli.output import OutputFormat, emit_rows
from lawreport.options import Thresholds, check_choice
from lawreport.qa.evaluate import DocumentScore, evaluate


@app.command("eval")
@guarded()
def eval_command(
    gold: Annotated[Path, typer.Option("--gold", help="Reference file in the format of seeds.gold.yaml.")],
    inputs: Annotated[
        Path | None,
        typer.Argument(help="Folder holding the reports the reference names. Default: beside it.", metavar="FOLDER"),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table (text), json, jsonl or csv (one row per file). Default: table on a terminal, else json.",
            show_default=False,
        ),
    ] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    kind: KindFlag = "auto",
    kinds: KindsFlag = None,
    min_f1: Annotated[float, typer.Option(help="Fail (exit 1) when indicator F1 is below this.")] = 0.0,
    min_recall: Annotated[float, typer.Option(help="Fail when indicator recall is below this.")] = 0.0,
    min_precision: Annotated[float, typer.Option(help="Fail when indicator precision is below this.")] = 0.0,
    min_meta: Annotated[float, typer.Option(help="Fail when metadata accuracy is below this.")] = 0.0,
    min_outline: Annotated[float, typer.Option(help="Fail when the share of exact outlines is below this.")] = 0.0,
    max_violations: Annotated[
        int, typer.Option(help="Fail when more not_indicators are violated (-1: no limit).")
    ] = -1,
) -> None:
    """Score the pipeline (and your rule packs) against a hand-made reference.

    Example: lawreport eval --gold ../shared/corpus/seeds.gold.yaml -f json

    Exits 1 when a threshold is not met or when any file of the reference is missing or could
    not be processed (the scores then cover only the files that were scored)."""
    if output_format is None:
        output_format = "table" if sys.stdout.isatty() else "json"
    output_format = "table" if output_format == "text" else output_format
    check_choice("--format", output_format, ("table", "json", "jsonl", "csv"))
    thresholds = Thresholds(
        min_f1=min_f1, min_recall=min_recall, min_precision=min_precision, min_meta=min_meta,
        min_outline=min_outline, max_violations=max_violations,
    )  # fmt: skip
    evaluation = evaluate(
        gold, inputs, options_from_flags(encoding=None, rules=rules, kind=kind, kinds=kinds), thresholds=thresholds
    )
    if output_format == "json":
        sys.stdout.write(json.dumps(evaluation.figures, ensure_ascii=False, indent=2) + "\n")
    elif output_format in ("jsonl", "csv"):
        emit_rows((_score_row(score) for score in evaluation.scores), SCORE_COLUMNS, OutputFormat(output_format))
    else:
        _print_eval(evaluation.scores, evaluation.figures)
    for failure in evaluation.failures:
        stderr.print(Text.assemble(("failed: ", "red"), failure))
    raise exit_with(not evaluation.passed)


SCORE_COLUMNS = (
    "file", "status", "meta_correct", "meta_fields", "outline_ok", "gold", "matched", "extracted", "violations",
    "misses", "error",
)  # fmt: skip


def _score_row(score: DocumentScore) -> dict[str, object]:
    """One file's scores as a flat row (``-f jsonl|csv``)."""
    correct = score.meta_correct or {}
    return {
        "file": score.file, "status": score.status, "meta_correct": sum(correct.values()), "meta_fields": len(correct),
        "outline_ok": score.outline_ok, "gold": score.indicators.gold if not score.error else None,
        "matched": score.indicators.matched if not score.error else None,
        "extracted": score.indicators.extracted if not score.error else None,
        "violations": score.indicators.violations if not score.error else None,
        "misses": list(score.indicators.misses) if not score.error else None, "error": score.error,
    }  # fmt: skip


def _print_eval(scores: list[DocumentScore], figures: dict) -> None:
    table = Table(title="lawreport eval", title_justify="left")
    for column in ("file", "meta", "outline", "gold", "found", "extracted", "violations", "misses"):
        table.add_column(column, overflow="fold")
    for score in scores:
        if score.error:
            table.add_row(score.file, Text(score.status, style="red"), "", "", "", "", "", score.error)
            continue
        correct = score.meta_correct
        wrong = [name for name, ok in correct.items() if not ok]
        meta = Text(f"{sum(correct.values())}/{len(correct)}")
        if wrong:
            meta.append(f" ({', '.join(wrong)})", style="red")
        outline = Text("ok", style="green") if score.outline_ok else Text("differs" if score.outline_expected else "-")
        table.add_row(
            score.file,
            meta,
            outline,
            str(score.indicators.gold),
            str(score.indicators.matched),
            str(score.indicators.extracted),
            str(score.indicators.violations),
            "; ".join(score.indicators.misses[:3]),
        )
    stdout.print(table)

    def shown(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    stdout.print(
        f"metadata accuracy {shown(figures['meta_accuracy'])}  outlines {shown(figures['outline_accuracy'])}  "
        f"indicators P {shown(figures['indicator_precision'])} R {shown(figures['indicator_recall'])} "
        f"F1 {shown(figures['indicator_f1'])}  violations {figures['violations']}  "
        f"scored {figures['documents']} of {len(scores)}"
    )
    for name, accuracy in figures["meta_fields"].items():
        if accuracy < 1:
            stdout.print(f"  {name}: {accuracy:.3f}")
