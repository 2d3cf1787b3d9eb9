"""Text of an HTML page: body text with block structure kept as lines, plus its <meta> hints."""

from __future__ import annotations

import regex
from selectolax.lexbor import LexborHTMLParser

_DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "select")
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
    ]
)
_CELL_TAGS = frozenset(("td", "th"))
# Chinese government CMSs put publication facts in <meta>; keep the ones analysts need.
_META_NAMES = {
    "articletitle": "title",
    "pubdate": "publish_date",
    "firstpublishedtime": "publish_date",
    "contentsource": "source",
    "sitename": "site",
}
_BLANK_LINES = regex.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<p>" in head or "<div" in head


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Return the page's visible text (one block per line) and its metadata hints."""
    tree = LexborHTMLParser(html)
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        name = (node.attributes.get("name") or node.attributes.get("property") or "").strip().lower()
        content = (node.attributes.get("content") or "").strip()
        if name in _META_NAMES and content and _META_NAMES[name] not in meta:
            meta[_META_NAMES[name]] = content
    title_node = tree.css_first("title")
    if title_node is not None and title_node.text(strip=True):
        meta.setdefault("page_title", title_node.text(strip=True))
    tree.strip_tags(list(_DROPPED_TAGS))
    root = tree.body or tree.root
    if root is None:
        return "", meta
    pieces: list[str] = []
    # Iterative walk: deeply nested broken markup must not hit the recursion limit.
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag  # type: ignore[attr-defined]
        if leaving:
            if tag in _BLOCK_TAGS:
                pieces.append("\n")
            elif tag in _CELL_TAGS:
                pieces.append(" | ")
            continue
        if tag == "-text":
            pieces.append(node.text_content or "")  # type: ignore[attr-defined]
            continue
        if tag in _BLOCK_TAGS:
            pieces.append("\n")
        stack.append((node, True))
        children = []
        child = node.child  # type: ignore[attr-defined]
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((child, False) for child in reversed(children))
    text = "".join(pieces).replace("\r", "")
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", text).strip("\n") + "\n", meta
