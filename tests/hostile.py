"""Hostile inputs, made on the fly (shared by tests/test_hostile.py and scripts/hostile_bench.py).

Each maker returns the bytes of one file that once broke lawreport: a wrong value, a lost
document, unbounded time or memory. ``scale`` grows the expensive ones (1 in the tests, the
size of the original report in the benchmark)."""

from __future__ import annotations

HEADER = "某区司法局2023年法治政府建设年度报告\n一、主要工作\n"


def compound_numbers(scale: int = 1) -> bytes:
    lines = [
        "全年共投入资金1亿2千万元。",
        "服务群众2万5千人次。",
        "案件办结率为百分之三十六点七。",
        "差错率控制在千分之五以内。",
        "新建项目投资3千余万元。",
        "办理复议案件1\u202e2\u202c件。",  # a bidi override inside the number
        "受理投诉1\u200f3\u2066件\u2069。",  # RLM and an isolate
        "培训干部1 000人次。",  # a digit-group space
        "发放补贴2\u00ad8万元。",  # a soft hyphen
    ]
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def huge_number(scale: int = 1) -> bytes:
    return (HEADER + "共登记" + "9" * 30 + "件。\n办理案件12件。\n").encode("utf-8")


def hidden_html(scale: int = 1) -> bytes:
    return (
        "<html><head><style>.seo{display:none} #x{font-size:0px}</style></head><body>"
        "<h1>某区司法局2023年法治政府建设年度报告</h1><p>一、主要工作</p>"
        "<p>办理行政复议案件12件。</p>"
        '<div style="display:none">办理行政复议案件999件。</div>'
        "<div hidden>受理投诉888件。</div>"
        '<span style="visibility:hidden">培训777人次。</span>'
        '<p style="font-size:0">调解纠纷666件。</p>'
        '<p class="seo">开展普法555场。</p><p id="x">出动执法444次。</p>'
        "<p>开展普法宣传32场。</p></body></html>"
    ).encode()


def no_sentence_end(scale: int = 1) -> bytes:
    """30 KB (x scale) of numbers and not one sentence end: every row once held all of it."""
    unit = "办理案件12件,受理投诉35件,"
    return (HEADER + unit * (30_000 * scale // len(unit.encode()))).encode("utf-8")


def nested_divs(scale: int = 1) -> bytes:
    depth = 20_000 * scale
    return ("<html><body>" + "<div>" * depth + "<p>办理案件12件。</p>" + "</div>" * depth + "</body></html>").encode()


def span_div_soup(scale: int = 1) -> bytes:
    """End tags the parser ignores: balanced in count, ever deeper in the tree."""
    return (
        "<html><body>" + "<span><div>案件</span>" * (20_000 * scale) + "<p>办理案件12件。</p></body></html>"
    ).encode()


def select_options(scale: int = 1) -> bytes:
    return (
        "<html><body><select>" + "<option>选项" * (20_000 * scale) + "</select><p>办理案件12件。</p></body></html>"
    ).encode()


def many_attributes(scale: int = 1) -> bytes:
    attributes = " ".join(f"data-a{index}=1" for index in range(20_000 * scale))
    return f"<html><body><div {attributes}><p>办理案件12件。</p></div></body></html>".encode()


def many_headings(scale: int = 1) -> bytes:
    """Thousands of top-level parts (labelling them was quadratic)."""
    parts = "".join(f"一、开展第{index}项工作\n办理案件{index % 90 + 2}件。\n" for index in range(4_000 * scale))
    return (HEADER + parts).encode("utf-8")


def dense_headings(scale: int = 1) -> bytes:
    """Short top-level headings only: 32,000 parts in 384 KB (x scale)."""
    return (HEADER + "".join(f"一、工作{index}\n" for index in range(32_000 * scale))).encode("utf-8")


def utf7(scale: int = 1) -> bytes:
    return (HEADER + "办理案件12件。\n").encode("utf-7")


def late_nul(scale: int = 1) -> bytes:
    return (HEADER + "办理案件12件。\n" * 8_000).encode("utf-8") + b"\x00\x00binary tail"


MAKERS = {
    "compound_numbers.txt": compound_numbers,
    "huge_number.txt": huge_number,
    "hidden.html": hidden_html,
    "no_sentence_end.txt": no_sentence_end,
    "nested_divs.html": nested_divs,
    "span_div_soup.html": span_div_soup,
    "select_options.html": select_options,
    "many_attributes.html": many_attributes,
    "many_headings.txt": many_headings,
    "utf7.txt": utf7,
    "late_nul.txt": late_nul,
}


# `python -c MEASURED extract …`: a lawreport run that reports its peak memory (its own and its
# workers') on stderr as "PEAK_KB n" (the hostile-input test and scripts/hostile_bench.py).
MEASURED = """
import resource, runpy, sys
sys.argv = ["lawreport", *sys.argv[1:]]
try:
    runpy.run_module("lawreport", run_name="__main__")
finally:
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write(f"\\nPEAK_KB {peak}\\n")
"""
