"""HTML pages: body text with block structure, scripts and styles dropped, <meta> hints kept."""

from __future__ import annotations

import pytest

from lawreport.pipeline import process_file
from lawreport.reading.html import MAX_ATTRIBUTES, MAX_DEPTH, bound_nesting, html_to_text

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="某区司法局2023年度法治政府建设情况报告">
<meta name="PubDate" content="2024-01-15 10:00">
<title>某区司法局</title><style>p{color:red}</style><script>var share = "分享到";</script></head>
<body><div class="nav">您当前所在的位置: 首页 &gt; 政务公开 &gt; 年度报告</div>
<h1>某区司法局2023年度法治政府建设情况报告</h1>
<p>2023年,某区司法局认真履行职责&nbsp;,共办理行政复议案件<b>42</b>件。</p>
<p>一、主要举措和成效<p>二、存在的不足
<table><tr><td>行政许可</td><td>0</td></tr></table>
<div>粤ICP备05083207号</div></body></html>"""


def test_blocks_become_lines_and_inline_tags_do_not():
    text, _ = html_to_text(PAGE)
    lines = text.splitlines()
    assert "2023年,某区司法局认真履行职责\xa0,共办理行政复议案件42件。" in lines
    assert "一、主要举措和成效" in lines and "二、存在的不足" in lines
    assert "var share" not in text and "color:red" not in text


def test_meta_hints():
    _, meta = html_to_text(PAGE)
    assert meta["title"] == "某区司法局2023年度法治政府建设情况报告"
    assert meta["publish_date"] == "2024-01-15 10:00"


def test_html_file_through_pipeline(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("gb18030").replace(b'charset="utf-8"', b'charset="gbk"'))
    result = process_file(str(path))
    assert result.error is None
    assert result.source.format == "html" and result.source.encoding == "gb18030"
    assert result.meta.title == "某区司法局2023年度法治政府建设情况报告"
    assert result.meta.publish_date.isoformat() == "2024-01-15"
    assert "ICP" not in result.normalized.text and "您当前所在的位置" not in result.normalized.text


def test_broken_and_deeply_nested_html_does_not_crash():
    html = "<div>" * 5000 + "正文内容。" + "<p><b>未闭合"
    text, _ = html_to_text(html)
    assert "正文内容。" in text and "未闭合" in text


# --- Hidden elements and bounded parsing (issue 17) --------------------------------------------


@pytest.mark.parametrize(
    "hidden",
    [
        '<div style="display:none">受理投诉999件。</div>',
        '<div style="DISPLAY: none !important">受理投诉999件。</div>',
        "<div hidden>受理投诉999件。</div>",
        '<span style="visibility:hidden">受理投诉999件。</span>',
        '<p style="font-size:0">受理投诉999件。</p>',
        '<p style="color:red;font-size: 0px">受理投诉999件。</p>',
        '<p class="seo">受理投诉999件。</p>',  # hidden by the page's own <style>
        '<p id="k">受理投诉999件。</p>',
    ],
)
def test_hidden_elements_are_not_read(hidden):
    page = (
        "<html><head><style>.seo { display: none } p#k{font-size:0pt}</style></head><body>"
        f"<p>办理案件12件。</p>{hidden}<p>开展培训3场。</p></body></html>"
    )
    text, _ = html_to_text(page)
    assert "999" not in text
    assert "办理案件12件。" in text and "开展培训3场。" in text


@pytest.mark.parametrize("visible", ['<p style="font-size:0.8em">', '<p style="display:block">', '<p class="note">'])
def test_visible_elements_are_read(visible):
    text, _ = html_to_text(f"<html><body>{visible}受理投诉7件。</p></body></html>")
    assert "受理投诉7件。" in text


def _parser_depth(html: str) -> int:
    """The depth of the tree lexbor builds from ``html``."""
    from selectolax.lexbor import LexborHTMLParser

    deepest, stack = 0, [(LexborHTMLParser(html).root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return deepest


@pytest.mark.parametrize(
    "page",
    [
        "<div>" * 5000 + "办理案件12件" + "</div>" * 5000,
        "<span><div>x</span>" * 5000 + "办理案件12件",  # end tags the parser ignores
        "<div/>" * 5000 + "办理案件12件",  # self-closing divs are opened
        "<ul><li>" * 5000 + "办理案件12件",
        "<font>x</p>" * 5000 + "办理案件12件",
    ],
    ids=["divs", "span-div", "self-closing", "lists", "font-p"],
)
def test_deep_nesting_is_flattened_before_parsing(page):
    html = f"<html><body>{page}</body></html>"
    bounded = bound_nesting(html)
    assert _parser_depth(bounded) <= 3 * MAX_DEPTH  # it was one level per repetition
    assert "办理案件12件" in html_to_text(html)[0]


def test_a_hidden_element_beyond_the_depth_limit_stays_hidden():
    html = "<body>" + "<div>" * 1000 + '<div style="display:none">受理投诉999件</div>办理案件12件' + "</div>" * 1000
    text, _ = html_to_text(html)
    assert "999" not in text and "办理案件12件" in text


def test_surplus_attributes_are_cut():
    attributes = " ".join(f"a{index}=1" for index in range(5000))
    html = f"<html><body><div {attributes}>办理案件12件</div></body></html>"
    bounded = bound_nesting(html)
    assert bounded.count("=1") == MAX_ATTRIBUTES
    assert "办理案件12件" in html_to_text(html)[0]


def test_ordinary_pages_are_parsed_as_they_are():
    nav = "".join(f'<li><a href="/{index}.html">栏目{index}</a></li>' for index in range(400))
    page = f"<html><body><ul>{nav}</ul>" + "<p>段落<b>加粗</b></p>" * 400 + "</body></html>"
    assert bound_nesting(page) is page


def test_a_page_that_hides_most_of_its_text_is_read_as_it_is():
    """<body style="display:none"> shown by a script once loaded: the report, not a plant."""
    page = '<html><body style="display:none"><p>办理案件12件。</p><p>开展培训3场。</p></body></html>'
    assert "办理案件12件。" in html_to_text(page)[0]


def test_many_small_hidden_plants_are_dropped_even_when_they_outweigh_the_text():
    plants = "".join(f'<p style="display:none">受理投诉{900 + index}件。</p>' for index in range(20))
    text, _ = html_to_text(f"<html><body><p>办理案件12件。</p>{plants}</body></html>")
    assert "办理案件12件。" in text and "受理投诉" not in text


def test_nested_hidden_elements_are_dropped_once():
    page = (
        '<body><p>办理案件12件。</p><div hidden><p style="display:none">受理投诉9件。</p><b hidden>8件</b></div></body>'
    )
    assert html_to_text(page)[0] == "办理案件12件。\n"
