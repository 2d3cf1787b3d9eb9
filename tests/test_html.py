"""HTML pages: body text with block structure, scripts and styles dropped, <meta> hints kept."""

from __future__ import annotations

from lawreport.htmltext import html_to_text
from lawreport.pipeline import process_file

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
