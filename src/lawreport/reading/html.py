"""Text of an HTML page: visible body text with block structure kept as lines, plus its <meta> hints.

Hidden elements (``hidden``, ``display:none``, ``visibility:hidden``, ``font-size:0``, inline
or from the page's own <style> rules) are dropped with scripts and styles: scraped mirrors and
SEO pages hide text and numbers there. The parser (lexbor) is fast, but some of its steps
look through the stack of open elements, so pages nested thousands deep take quadratic time;
:func:`bound_nesting` flattens such pages first (as browsers cap the depth of the tree).
"""

from __future__ import annotations

from collections.abc import Iterator

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


# Inline styles and <style> rules that hide an element.
_HIDING_STYLE = regex.compile(
    r"(?:^|[;{\s\"'])(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|font-size\s*:\s*0*(?:\.0*)?(?:px|pt|em|rem|%|vw|vh|ex|ch)?\s*(?:!important\s*)?(?:;|$|}))",
    regex.IGNORECASE,
)
_CSS_RULE = regex.compile(r"([^{}@]{1,500})\{([^{}]{0,2000})\}")
_SIMPLE_SELECTOR = regex.compile(r"\s*((?:[a-zA-Z][a-zA-Z0-9]*)?(?:[.#][A-Za-z_][\w-]*)+)\s*")
_MAX_HIDING_SELECTORS = 200


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Return the page's visible text (one block per line) and its metadata hints."""
    tree = LexborHTMLParser(bound_nesting(html))
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        name = (node.attributes.get("name") or node.attributes.get("property") or "").strip().lower()
        content = (node.attributes.get("content") or "").strip()
        if name in _META_NAMES and content and _META_NAMES[name] not in meta:
            meta[_META_NAMES[name]] = content
    title_node = tree.css_first("title")
    if title_node is not None and title_node.text(strip=True):
        meta.setdefault("page_title", title_node.text(strip=True))
    selectors = _hiding_selectors(tree)
    tree.strip_tags(list(_DROPPED_TAGS))
    _drop_hidden(tree, selectors)
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


def _hiding_selectors(tree: LexborHTMLParser) -> list[str]:
    """Simple selectors (.class, #id, tag.class) that the page's own <style> rules hide."""
    selectors: list[str] = []
    for style in tree.css("style"):
        for rule in _CSS_RULE.finditer(style.text() or ""):
            if not _HIDING_STYLE.search(rule.group(2)):
                continue
            for selector in rule.group(1).split(","):
                simple = _SIMPLE_SELECTOR.fullmatch(selector)
                if simple and len(selectors) < _MAX_HIDING_SELECTORS:
                    selectors.append(simple.group(1))
    return selectors


def _drop_hidden(tree: LexborHTMLParser, selectors: list[str]) -> None:
    hidden = [node for node in tree.css("[hidden]")]
    hidden += [node for node in tree.css("[style]") if _HIDING_STYLE.search(node.attributes.get("style") or "")]
    for selector in selectors:
        try:
            hidden += tree.css(selector)
        except Exception:  # a selector lexbor does not take: the rule simply does not apply
            continue
    if not hidden:
        return
    # One hidden element that holds most of the page (a body or an app container shown by
    # script once loaded) is the report itself, not a planted paragraph: it is read.
    root = tree.body or tree.root
    total = len(root.text(separator="")) if root is not None else 0
    dropped = {node.mem_id: node for node in hidden if len(node.text(separator="")) * 2 <= total}
    # Only the outermost are removed, after all are known: an element inside a dropped one goes
    # with it (and must not be touched once its ancestor is destroyed).
    outermost = []
    for node in dropped.values():
        ancestor = node.parent
        while ancestor is not None and ancestor.mem_id not in dropped:
            ancestor = ancestor.parent
        if ancestor is None:
            outermost.append(node)
    for node in outermost:
        node.decompose()


# --- Bounded nesting -------------------------------------------------------------------------

MAX_DEPTH = 256  # open elements (as over-counted below); browsers cap their trees near 512
MAX_ATTRIBUTES = 256
# What the scanner stops at: a comment, a tag start, and inside a tag its quotes and its end.
_TOKEN = regex.compile(r"<!--|<(/?)([A-Za-z][^\s/>]*)")
_IN_TAG = regex.compile(r"[\"'>]")
_FAST_TAG = regex.compile(r"<(/?)([A-Za-z][^\s/>]*)")
# A tag start followed by 2,000 characters without "<" may be a tag with more than
# MAX_ATTRIBUTES attributes (linear: each scan stops at the next "<").
_LONG_RUN = regex.compile(r"<[A-Za-z][^<]{2000}")
_ATTRIBUTE = regex.compile(r"\s*([^\s\"'>/=]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_VOID = frozenset(
    [
        "area",
        "base",
        "basefont",
        "bgsound",
        "br",
        "col",
        "embed",
        "frame",
        "hr",
        "image",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_RAW_TEXT = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]
)
# Closed by an end tag of their parent without complaint (HTML's "generate implied end tags").
_IMPLIED_END = frozenset(["dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"])
# A start tag of the key closes an open element of the value on top of the stack.
_CLOSES_SAME = {
    "p": {"p"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    # Not <option>: lexbor is quadratic in the options of a <select>, so they count as open.
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
}
_FOREIGN = frozenset({"svg", "math"})
_HIDDEN_ATTRIBUTE = regex.compile(r"(?:^|\s)hidden(?:\s|=|/|$)", regex.IGNORECASE)


def bound_nesting(html: str) -> str:
    """``html`` unchanged, unless it nests deeper than MAX_DEPTH elements or has a tag with
    more than MAX_ATTRIBUTES attributes: then start tags beyond that depth are dropped with
    their end tags (block tags become <br> and cells " | ", so lines stay lines) and surplus
    attributes are cut. A hidden element among the dropped tags takes its content with it.

    The depth is an over-estimate of what the parser builds: an end tag only closes the element
    on top (after implied ends such as an open <p>), implicit closes are counted only for a
    repeated <p>, <li>, <td> and a block start after <p>. So whatever the markup, the parser
    sees a tree a small multiple of MAX_DEPTH deep at most, and its work stays linear."""
    if not _may_be_too_deep(html) and not _LONG_RUN.search(html):
        return html
    stack: list[tuple[str, bool]] = []  # (name, kept)
    kept_depth = 0
    foreign = 0  # open <svg>/<math>: self-closing tags close there
    suppress_below: int | None = None  # while the stack is this deep, output nothing
    changed = False
    pieces: list[str] = []
    cursor = 0
    for tag_start, tag_end, closing, name, attributes in _tags(html):
        replacement: str | None = None
        suppressed_before = suppress_below is not None
        if closing:
            index = len(stack) - 1
            while index >= 0 and stack[index][0] in _IMPLIED_END and stack[index][0] != name:
                index -= 1
            if index >= 0 and stack[index][0] == name:
                if not stack[index][1]:
                    replacement = _stand_in(name)
                for entry_name, kept in stack[index:]:
                    kept_depth -= kept
                    foreign -= entry_name in _FOREIGN
                del stack[index:]
                if suppress_below is not None and len(stack) < suppress_below:
                    suppress_below = None
        else:
            if len(attributes) > 2000:
                cut = _cut_attributes(attributes)
                if cut is not None:
                    replacement, attributes = f"{html[tag_start : tag_end - len(attributes) - 1]}{cut}>", cut
            if name in _RAW_TEXT:
                stack.append((name, True))  # closed by its end tag, which the scanner reads next
                kept_depth += 1
            elif name not in _VOID and not (foreign and attributes.rstrip().endswith("/")):
                top = stack[-1][0] if stack else ""
                if top in _CLOSES_SAME.get(name, ()) or (top == "p" and name in _BLOCK_TAGS):
                    kept_depth -= stack.pop()[1]
                kept = kept_depth < MAX_DEPTH
                stack.append((name, kept))
                kept_depth += kept
                foreign += name in _FOREIGN
                if not kept:
                    replacement = _stand_in(name)
                    hidden = _HIDING_STYLE.search(attributes) or _HIDDEN_ATTRIBUTE.search(attributes)
                    if suppress_below is None and hidden:
                        suppress_below = len(stack)
        if suppressed_before or suppress_below is not None:
            if not suppressed_before:
                pieces.append(html[cursor:tag_start])
            changed = True
        else:
            pieces.append(html[cursor:tag_start])
            if replacement is not None:
                pieces.append(replacement)
                changed = True
            else:
                pieces.append(html[tag_start:tag_end])
        cursor = tag_end
    if not changed:
        return html
    if suppress_below is None:
        pieces.append(html[cursor:])
    return "".join(pieces)


def _tags(html: str) -> Iterator[tuple[int, int, bool, str, str]]:
    """(start, end, is_end_tag, lower-case name, attribute text) of every tag, in one linear
    pass: comments, quoted attribute values and the text of <script>-like elements are
    skipped, never scanned twice. An unclosed comment or tag runs to the end, as in HTML."""
    lower: str | None = None
    position = 0
    length = len(html)
    while (token := _TOKEN.search(html, position)) is not None:
        if token.group(2) is None:  # <!--
            end = html.find("-->", token.end())
            if end < 0:
                return
            position = end + 3
            continue
        name = token.group(2).lower()
        closing = bool(token.group(1))
        cursor = token.end()
        end = -1
        while (mark := _IN_TAG.search(html, cursor)) is not None:
            char = mark.group()
            if char == ">":
                end = mark.end()
                break
            before = mark.start() - 1
            while before >= cursor and html[before] in " \t\n\r\f":
                before -= 1
            if before >= cursor and html[before] == "=":  # a quoted value: skip to its closing quote
                close = html.find(char, mark.end())
                if close < 0:
                    return
                cursor = close + 1
            else:
                cursor = mark.end()
        if end < 0:
            return
        yield token.start(), end, closing, name, html[token.end() : end - 1]
        position = end
        if not closing and name in _RAW_TEXT:
            lower = lower if lower is not None else html.lower()
            closing_at = lower.find("</" + name, end)
            position = length if closing_at < 0 else closing_at


def _may_be_too_deep(html: str) -> bool:
    """A quick over-estimate of the depth (tags in scripts count too, self-closing tags are
    opened): only pages it flags go through the full pass."""
    if html.count("<") <= MAX_DEPTH:
        return False
    stack: list[str] = []
    for slash, name in _FAST_TAG.findall(html):
        name = name.lower()
        if slash:
            index = len(stack) - 1
            while index >= 0 and stack[index] in _IMPLIED_END and stack[index] != name:
                index -= 1
            if index >= 0 and stack[index] == name:
                del stack[index:]
        elif name not in _VOID:
            if stack and (stack[-1] in _CLOSES_SAME.get(name, ()) or (stack[-1] == "p" and name in _BLOCK_TAGS)):
                stack.pop()
            stack.append(name)
            if len(stack) > MAX_DEPTH:
                return True
    return False


def _stand_in(name: str) -> str:
    """What a dropped tag leaves behind: a line break for a block, a separator for a cell."""
    if name in _CELL_TAGS:
        return " | "
    return "<br>" if name in _BLOCK_TAGS else ""


def _cut_attributes(attributes: str) -> str | None:
    """The first MAX_ATTRIBUTES attributes, or None when there are not more than that."""
    for count, attribute in enumerate(_ATTRIBUTE.finditer(attributes), 1):
        if count > MAX_ATTRIBUTES:
            return attributes[: attribute.start()]
    return None
