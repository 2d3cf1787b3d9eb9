"""``lawreport report OUT``: one self-contained HTML page about an output folder.

The corpus by year (stacked by report kind), province and place; part coverage by kind;
kinds of warning; each standard indicator over the report years (achieved as a filled circle,
target as an open triangle); and every standard-indicator number with its sentence, the number
marked. Each chart mark links to its row, each row to ``normalized/<doc_id>.txt``.

No JavaScript: charts are inline SVG drawn here (tooltips are SVG ``<title>``), styles are one
inline ``<style>``, and a Content-Security-Policy meta tag forbids every load, so the page
needs no network at view time and a stray external reference would be a console error in the
browser test (tests/qa/test_overview_browser.py). The bytes are deterministic (no timestamp).

It reads the tables through :func:`lawreport.tables.frames.load_table` (Parquet, hive
datasets or CSV), and units from the run's ``datapackage.json``. The report kind comes from the
``kind`` column when the documents table has one; without it no kind is claimed ("kind not
recorded"), and part coverage uses the default kind's parts, saying so.
Lists are capped at :data:`MAX_ROWS_PER_INDICATOR` rows and charts switch from points to
per-year ranges past :data:`MAX_POINTS`, so the page stays small.

Adapted from the measured prototype in the issue 15 research notes (proto_report.py).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from lawreport.kinds import builtin_kinds, default_kind, load_kind

MAX_ROWS_PER_INDICATOR = 300
MAX_POINTS = 600
PALETTE = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#a0aec0")
ACHIEVED, TARGET = "#2b6cb0", "#dd6b20"
NO_PLACE = "(未识别)"
NO_KIND = "(kind not recorded)"  # no kind column (before issue 12's), or an empty cell
REPORT_NAME = "report.html"

e = html.escape


# --------------------------------------------------------------------------- SVG
def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks from ``low`` to at least ``high``."""
    if high <= low:
        high = low + 1
    step = 10 ** math.floor(math.log10((high - low) / count))
    for m in (1, 2, 2.5, 5, 10):
        if (high - low) / (step * m) <= count:
            step *= m
            break
    start = math.floor(low / step) * step
    ticks, t = [], start
    while not ticks or ticks[-1] < high:  # the last tick is at or above the highest value
        ticks.append(round(t, 10))
        t += step
    return ticks


def fmt(v: float) -> str:
    """A number for an axis or a cell: 12万, 3.5亿."""
    if v == 0:
        return "0"
    if abs(v) >= 1e8:
        return f"{v / 1e8:g}亿"
    if abs(v) >= 1e4:
        return f"{v / 1e4:g}万"
    return f"{v:g}"


def bar_chart(
    years: list[int], stacks: dict[int, Counter], colours: dict[str, str], width: int = 900, height: int = 220
) -> str:
    """Reports per year, stacked by kind."""
    left, bottom, top = 36, 28, 10
    if not years:
        return "<p>No report years.</p>"
    span = list(range(min(years), max(years) + 1))
    peak = max(sum(stacks[y].values()) for y in span if y in stacks)
    ticks = nice_ticks(0, peak, 4)
    scale = (height - bottom - top) / ticks[-1]
    bw = (width - left - 10) / len(span)
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="reports by year">']
    for t in ticks:
        y = height - bottom - t * scale
        out.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" class="tick" text-anchor="end">{t:g}</text>'
        )
    for i, year in enumerate(span):
        x = left + i * bw
        base = height - bottom
        for kind, colour in colours.items():
            n = stacks.get(year, Counter()).get(kind, 0)
            if n:
                h = n * scale
                base -= h
                out.append(
                    f'<rect x="{x + 1:.1f}" y="{base:.1f}" width="{max(bw - 2, 1):.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{year} {e(kind)}: {n}</title></rect>"
                )
        if len(span) <= 30 or year % 5 == 0:
            out.append(
                f'<text x="{x + bw / 2:.1f}" y="{height - bottom + 14}" class="tick" text-anchor="middle">{year}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def hbars(
    items: list[tuple[str, int]], colour: str = "#4a5568", width: int = 430, row: int = 18, label_w: int = 170
) -> str:
    """Horizontal bars with labels (cut to fit) and counts."""
    if not items:
        return "<p>None.</p>"
    peak = max(n for _, n in items)
    budget = label_w / 6.2  # ~6 px per Latin character at 11 px, twice that for Chinese

    def cut(text: str) -> str:
        used, kept = 0.0, []
        for ch in text:
            used += 2 if ord(ch) > 0x2E80 else 1
            if used > budget:
                return "".join(kept) + "…"
            kept.append(ch)
        return text

    height = row * len(items) + 4
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img">']
    for i, (label, n) in enumerate(items):
        y = i * row + 2
        w = (width - label_w - 40) * n / peak
        out.append(
            f'<text x="{label_w - 6}" y="{y + 13}" class="lab" text-anchor="end">{e(cut(label))}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="{colour}"><title>{e(label)}: {n}</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" class="tick">{n}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def scatter(points: list[dict[str, Any]], unit: str, width: int = 430, height: int = 200) -> str:
    """Values over report years: achieved = filled circle, target = open triangle; each a link."""
    left, right, top, bottom = 48, 10, 10, 26
    pts = [p for p in points if p["year"] is not None and p["value"] is not None]
    if not pts:
        return '<p class="muted">No values with a report year.</p>'
    years = [p["year"] for p in pts]
    x0, x1 = min(years) - 0.5, max(years) + 0.5
    values = [p["value"] for p in pts]
    positive = [v for v in values if v > 0]
    use_log = bool(positive) and min(values) > 0 and max(positive) / min(positive) > 1000
    if use_log:
        lo, hi = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
        ticks = [10.0**k for k in range(lo, hi + 1)]
        fy = lambda v: (math.log10(v) - lo) / max(hi - lo, 1)  # noqa: E731
    else:
        ticks = nice_ticks(min(0.0, min(values)), max(values), 4)
        fy = lambda v: (v - ticks[0]) / (ticks[-1] - ticks[0])  # noqa: E731
    fx = lambda y: left + (y - x0) / (x1 - x0) * (width - left - right)  # noqa: E731
    py = lambda v: height - bottom - fy(v) * (height - top - bottom)  # noqa: E731
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img">']
    for t in ticks:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{py(t) + 4:.1f}" class="tick" text-anchor="end">{fmt(t)}</text>'
        )
    span = range(math.ceil(x0), math.floor(x1) + 1)
    step = max(1, math.ceil(len(span) / 7))  # at most ~7 year labels in 430 px
    for y in span:
        if (y - span.start) % step == 0:
            out.append(f'<text x="{fx(y):.1f}" y="{height - 8}" class="tick" text-anchor="middle">{y}</text>')
    if len(pts) > MAX_POINTS:  # per-year range and median instead of every point
        by_year: dict[tuple[int, bool], list[float]] = defaultdict(list)
        for p in pts:
            by_year[(p["year"], p["target"])].append(p["value"])
        for (year, target), vs in sorted(by_year.items()):
            vs.sort()
            x = fx(year) + (3 if target else -3)
            colour = TARGET if target else ACHIEVED
            out.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{py(vs[0]):.1f}" y2="{py(vs[-1]):.1f}" stroke="{colour}"/>'
                f'<circle cx="{x:.1f}" cy="{py(vs[len(vs) // 2]):.1f}" r="3" fill="{colour}"><title>{year}: {len(vs)} values, median {fmt(vs[len(vs) // 2])}</title></circle>'
            )
    else:
        jitter = Counter()
        for p in pts:
            key = (p["year"], p["target"])
            x = fx(p["year"]) + (4 if p["target"] else -4) + (jitter[key] % 3 - 1) * 2.5
            jitter[key] += 1
            y = py(p["value"])
            tip = e(f"{p['year']} {p['place']}: {p['text']} ({'target' if p['target'] else 'achieved'})")
            mark = (
                f'<path d="M{x:.1f},{y - 4.5:.1f} L{x + 4:.1f},{y + 3:.1f} L{x - 4:.1f},{y + 3:.1f} Z" fill="white" stroke="{TARGET}" stroke-width="1.5"/>'
                if p["target"]
                else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACHIEVED}" fill-opacity="0.8"/>'
            )
            out.append(f'<a href="#{p["anchor"]}"><title>{tip}</title>{mark}</a>')
    out.append(
        f'<text x="{width - right}" y="{top + 8}" class="tick" text-anchor="end">{e(unit)}{" (log scale)" if use_log else ""}</text>'
    )
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- page
CSS = """
:root{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1a202c;font-size:14px}
body{max-width:1320px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;border-bottom:2px solid #e2e8f0;padding-bottom:4px;margin-top:28px}
h3{font-size:15px;margin:12px 0 4px}
.muted{color:#718096}.grid{stroke:#edf2f7}.tick{font-size:10px;fill:#4a5568}.lab{font-size:11px;fill:#2d3748}
.chart{width:100%;height:auto;display:block}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#f7fafc;border:1px solid #e2e8f0;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}
.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:18px}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #edf2f7;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f7fafc;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
mark{background:#fefcbf;padding:0 1px}.legend span{display:inline-block;margin-right:14px}
.sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
tr[id]{scroll-margin-top:4em}tr:target{background:#fffbea;outline:2px solid #ecc94b}
.ind{break-inside:avoid;border:1px solid #e2e8f0;border-radius:6px;padding:8px}
details summary{cursor:pointer;color:#2b6cb0}
nav a{margin-right:12px}
"""


# --------------------------------------------------------------------------- data
def _rows(out: Path, name: str, columns: list[str]) -> list[dict[str, Any]]:
    from lawreport.tables.frames import load_table

    try:
        frame = load_table(out, name)
    except FileNotFoundError:
        return []
    frame = frame[[column for column in columns if column in frame.columns]]
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


def load(out: Path) -> dict[str, Any]:
    """The rows the page needs (standard-indicator numbers only)."""
    documents = _rows(
        out,
        "documents",
        ["doc_id", "path", "status", "kind", "title", "agency", "province", "city", "county", "report_year",
         "duplicate_of", "warnings", "n_indicators"],
    )  # fmt: skip
    sections = [row for row in _rows(out, "sections", ["doc_id", "level", "label"]) if row["level"] == 1]
    numbers = [
        row
        for row in _rows(
            out,
            "indicators",
            [
                "doc_id",
                "indicator_no",
                "indicator_id",
                "indicator",
                "value",
                "value_low",
                "value_high",
                "unit",
                "qualifier",
                "is_target",
                "text",
                "sentence",
                "start",
                "end",
                "sentence_start",
            ],
        )
        if row.get("indicator_id")
    ]
    errors = _rows(out, "errors", ["path", "severity", "stage", "error_type", "message"])
    units: dict[str, str] = {}
    package = out / "datapackage.json"
    if package.is_file():
        for resource in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
            for field in resource.get("schema", {}).get("fields", []):
                if resource["name"].startswith("indicators_wide") and field.get("unit"):
                    units[field["name"]] = field["unit"]
    return {"documents": documents, "tops": sections, "numbers": numbers, "errors": errors, "units": units}


def kind_names() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Kind name -> (its Chinese name, its standard parts), for every built-in kind."""
    kinds = {}
    for name in builtin_kinds():
        kind = load_kind(name)
        kinds[kind.name] = (kind.name_zh, kind.parts)
    return kinds


def place_of(doc: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in ("province", "city", "county"):
        value = doc.get(key)
        if value and value not in parts:  # 北京市 北京市 → 北京市
            parts.append(value)
    return "".join(parts) or NO_PLACE


def warning_kinds(warnings: str | None) -> set[str]:
    """Kinds of warning of one document. documents.warnings joins messages with "; ", and the
    "unlabelled part(s): a; b" message has "; " inside, so a piece that does not start like a
    message (an ASCII letter) continues the previous one. Missing parts count per part."""
    kinds = set()
    for piece in (warnings or "").split("; "):
        if not piece or not piece[0].isascii() or not piece[0].isalpha():
            continue
        if piece.startswith("missing standard part(s): "):
            kinds.update(f"missing part: {part}" for part in piece.split(": ", 1)[1].split(", "))
            continue
        head = re.split(r":|\s\d|\s(?:at|such as)\s", piece, maxsplit=1)[0]
        kinds.add(head.strip())
    return kinds


# --------------------------------------------------------------------------- page
def build(out: Path) -> str:
    """The page for output folder ``out``, as text."""
    data = load(out)
    docs = data["documents"]
    known = kind_names()
    kind_of = {d["path"]: d.get("kind") or NO_KIND for d in docs}
    zh = {name: names[0] for name, names in known.items()}
    kinds_present = sorted({kind_of[d["path"]] for d in docs}, key=lambda k: (k not in known, k))
    colours = {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(kinds_present)}
    by_id = {d["doc_id"]: d for d in docs if d["doc_id"] and not d["duplicate_of"]}
    ok = [d for d in docs if d["status"] == "ok"]
    originals = [d for d in ok if not d["duplicate_of"]]
    parts_by_doc: dict[str, set[str]] = defaultdict(set)
    for section in data["tops"]:
        parts_by_doc[section["doc_id"]].add(section["label"])

    def kind_label(kind: str) -> str:
        return f"{zh[kind]} ({kind})" if kind in zh else kind

    body: list[str] = []
    years = [d["report_year"] for d in originals if d["report_year"] is not None]
    body.append("<h1>lawreport: overview of the dataset</h1>")
    body.append(
        f'<p class="muted">{e(out.resolve().name)}: {len(docs)} files · the tables are beside this page'
        " (documents, sections, indicators, indicators_wide, errors) · the data dictionary is datapackage.json"
        " (<code>lawreport schema</code>)</p>"
    )
    body.append(
        '<nav><a href="#corpus">Corpus</a><a href="#parts">Parts</a><a href="#warnings">Warnings</a>'
        '<a href="#indicators">Indicators</a><a href="#numbers">Numbers</a><a href="#errors">Errors</a></nav>'
    )
    cards = [
        ("files", len(docs)),
        ("read", len(ok)),
        ("duplicates", sum(1 for d in ok if d["duplicate_of"])),
        ("failed or skipped", len(data["errors"])),
        ("years", f"{min(years)}–{max(years)}" if years else "–"),
        ("numbers found", sum(int(d["n_indicators"] or 0) for d in originals)),
        ("standard-indicator numbers", len(data["numbers"])),
    ]
    body.append(
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{e(str(v))}</b>{e(k)}</div>' for k, v in cards)
        + "</div>"
    )

    body.append('<h2 id="corpus">Corpus by year, kind and place</h2>')
    stacks: dict[int, Counter] = defaultdict(Counter)
    for d in originals:
        if d["report_year"] is not None:
            stacks[int(d["report_year"])][kind_of[d["path"]]] += 1
    legend = "".join(
        f'<span><i class="sw" style="background:{c}"></i>{e(kind_label(k))}'
        f" ({sum(1 for d in originals if kind_of[d['path']] == k)})</span>"
        for k, c in colours.items()
    )
    no_year = sum(1 for d in originals if d["report_year"] is None)
    body.append(
        f'<div class="legend">{legend}</div>'
        + bar_chart([int(y) for y in years], stacks, colours)
        + (f'<p class="muted">{no_year} report(s) without a report year are not shown.</p>' if no_year else "")
    )
    places = Counter(place_of(d) for d in originals)
    provinces = Counter(d["province"] or NO_PLACE for d in originals)
    body.append(
        '<div class="cols"><div><h3>Provinces</h3>' + hbars(provinces.most_common(15)) + "</div>"
        "<div><h3>Places (province · city · county)</h3>" + hbars(places.most_common(15), "#718096") + "</div></div>"
    )

    body.append(
        '<h2 id="parts">Part coverage</h2><p class="muted">Share of reports whose outline has each standard part'
        " of their kind (a top-level section with that label); the parts <code>lawreport check</code> requires are"
        " marked *.</p>"
    )
    for kind in kinds_present:
        group = [d for d in originals if kind_of[d["path"]] == kind]
        if not group:
            continue
        # a report of no recorded kind was labelled with the default kind's parts
        described = load_kind(kind) if kind in known else default_kind()
        parts, required = described.parts, set(described.required)
        note = (
            f" <span class='muted'>(parts of the default kind, {e(described.name)})</span>" if kind not in known else ""
        )
        cells = []
        for part in parts:
            share = sum(1 for d in group if part in parts_by_doc[d["doc_id"]]) / len(group)
            cells.append(f'<td class="num" style="background:rgba(43,108,176,{share * 0.55:.2f})">{share:.0%}</td>')
        header = "".join(f"<th>{e(p)}{' *' if p in required else ''}</th>" for p in parts)
        body.append(
            f"<h3>{e(kind_label(kind))}{note}</h3><table><tr><th>reports</th>{header}</tr>"
            f"<tr><td class='num'>{len(group)}</td>{''.join(cells)}</tr></table>"
        )

    body.append('<h2 id="warnings">Warnings</h2>')
    warned: Counter[str] = Counter()
    for d in originals:
        warned.update(warning_kinds(d["warnings"]))
    body.append(
        '<p class="muted">Reports with each kind of warning (documents.warnings;'
        " <code>lawreport check</code> gives codes).</p>"
        + hbars(warned.most_common(12), "#c05621", width=900, label_w=300)
    )

    body.append(
        '<h2 id="indicators">Standard indicators over the years</h2>'
        f'<p class="legend"><span><i class="sw" style="background:{ACHIEVED};border-radius:5px"></i>achieved</span>'
        f'<span>△ <span style="color:{TARGET}">target</span></span> Each mark links to its sentence below;'
        " hover for the number as written.</p>"
    )
    by_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    names: dict[str, str] = {}
    for n in data["numbers"]:
        doc = by_id.get(n["doc_id"])
        if doc is None:
            continue
        names[n["indicator_id"]] = n["indicator"] or n["indicator_id"]
        place = place_of(doc)
        by_indicator[n["indicator_id"]].append(
            {
                **n,
                "year": None if doc["report_year"] is None else int(doc["report_year"]),
                "place": place if place != NO_PLACE else (doc["agency"] or Path(doc["path"]).name),
                "target": bool(n["is_target"]),
                "anchor": f"n-{n['doc_id']}-{n['indicator_no']}",
                "doc": doc,
            }
        )
    order = sorted(by_indicator, key=lambda k: (-len(by_indicator[k]), k))
    charts = []
    for ind in order:
        points = by_indicator[ind]
        main_unit = Counter(p["unit"] or "" for p in points).most_common(1)[0][0]
        same_unit = [p for p in points if (p["unit"] or "") == main_unit]
        others = len(points) - len(same_unit)
        charts.append(
            f'<div class="ind"><h3><a href="#list-{e(ind)}">{e(names[ind])}</a> <span class="muted">{e(ind)} · '
            f"{len(points)} number{'s' if len(points) != 1 else ''}</span></h3>{scatter(same_unit, main_unit)}"
            + (
                f'<p class="muted">{others} number(s) in other units ({e(data["units"].get(ind, ""))})'
                " listed below, not plotted.</p>"
                if others
                else ""
            )
            + "</div>"
        )
    if not charts:
        charts.append('<p class="muted">No standard-indicator numbers in this dataset.</p>')
    body.append(f'<div class="cols">{"".join(charts)}</div>')

    body.append(
        '<h2 id="numbers">Numbers and their sentences</h2><p class="muted">Offsets refer to'
        " normalized/&lt;doc_id&gt;.txt; the number is marked in its sentence.</p>"
    )
    for ind in order:
        points = sorted(by_indicator[ind], key=lambda p: (p["year"] or 0, p["doc"]["path"], p["indicator_no"]))
        shown = points[:MAX_ROWS_PER_INDICATOR]
        rows = []
        for p in shown:
            sentence = p["sentence"] or ""
            a, b = int(p["start"]) - int(p["sentence_start"]), int(p["end"]) - int(p["sentence_start"])
            marked = e(sentence[:a]) + "<mark>" + e(sentence[a:b]) + "</mark>" + e(sentence[b:])
            value = fmt(p["value"]) if p["value"] is not None else f"{fmt(p['value_low'])}–{fmt(p['value_high'])}"
            rows.append(
                f'<tr id="{e(p["anchor"])}"><td>{p["year"] or ""}</td><td>{e(p["place"])}</td>'
                f'<td class="num">{value} {e(p["unit"] or "")}</td>'
                f"<td>{e(p['qualifier'] or '')}{' · target' if p['target'] else ''}</td><td>{marked}</td>"
                f'<td><a href="normalized/{e(p["doc_id"])}.txt" title="{e(p["doc"]["path"])}">'
                f"{e(Path(p['doc']['path']).name)}</a></td></tr>"
            )
        more = len(points) - len(shown)
        body.append(
            f'<details id="list-{e(ind)}" open><summary>{e(names[ind])} ({e(ind)}): {len(points)}</summary>'
            "<table><tr><th>year</th><th>place / body</th><th>value</th><th>qualifier</th><th>sentence</th>"
            f"<th>file</th></tr>{''.join(rows)}</table>"
            + (f"<p class=\"muted\">… and {more} more: indicators where indicator_id = '{e(ind)}'.</p>" if more else "")
            + "</details>"
        )

    body.append(f'<h2 id="errors">Files not used ({len(data["errors"])})</h2>')
    rows_html = "".join(
        f"<tr><td>{e(str(x['path']))}</td><td>{e(str(x['severity']))}</td><td>{e(str(x['stage']))}</td>"
        f"<td>{e(str(x['error_type']))}</td><td>{e(str(x['message']))}</td></tr>"
        for x in data["errors"][:500]
    )
    body.append(
        f"<table><tr><th>path</th><th>severity</th><th>stage</th><th>error</th><th>message</th></tr>{rows_html}</table>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
        ' img-src data:">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>lawreport overview: {e(out.resolve().name)}</title><style>{CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def write_report(out: str | Path, destination: str | Path | None = None) -> Path:
    """Write the page for output folder ``out`` to ``destination`` (default ``out/report.html``),
    through a temporary file and a rename, so a failure leaves any previous page whole."""
    import os

    from lawreport.errors import UsageError

    out = Path(out)
    if (
        not (out / "documents.csv").is_file()
        and not (out / "documents.parquet").exists()
        and not (out / "documents").is_dir()
    ):
        raise UsageError(f"no dataset in {out}", hint="Run lawreport extract -o there first.")
    target = Path(destination) if destination is not None else out / REPORT_NAME
    page = build(out)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
