"""Readable text of a page body: Liquid and kramdown removed, Markdown rendered, HTML stripped.

Markdown goes through a real CommonMark parser (markdown-it-py) and the resulting HTML through
BeautifulSoup, so that what is indexed is what a visitor reads: link text and image alt text
are kept, scripts, styles, iframes and comments are not, and headings are kept apart because
they deserve a boost.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, CData, NavigableString
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")

_LIQUID_COMMENT_RE = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
_LIQUID_RAW_RE = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_LIQUID_TAG_RE = re.compile(r"\{%.*?%\}", re.S)
_LIQUID_OUTPUT_RE = re.compile(r"\{\{.*?\}\}", re.S)
#: kramdown extensions ``{::comment}…{:/comment}`` and ``{::nomarkdown}``.
_KRAMDOWN_COMMENT_RE = re.compile(r"\{::comment\}.*?\{:/comment\}", re.S)
_KRAMDOWN_EXTENSION_RE = re.compile(r"\{::?/?[a-z]+[^}]*\}")
#: kramdown attribute lists: ``{: target="_blank"}``, ``{:.citation}``, ``{:toc}``.
_KRAMDOWN_IAL_RE = re.compile(r"\{:[^}\n]*\}")

_DROPPED_TAGS = ("script", "style", "iframe", "noscript", "template", "svg", "object", "embed",
                 "canvas", "audio", "video", "head", "form", "button", "select")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCK_TAGS = ("p", "div", "section", "article", "aside", "header", "footer", "nav", "main",
               "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "figure", "figcaption",
               "table", "tr", "br", "hr", "details", "summary", *_HEADING_TAGS)
_CELL_TAGS = ("td", "th")
_DROPPED_SET, _HEADING_SET = frozenset(_DROPPED_TAGS), frozenset(_HEADING_TAGS)
_BLOCK_SET, _CELL_SET = frozenset(_BLOCK_TAGS), frozenset(_CELL_TAGS)
_BLANKS_RE = re.compile(r"[\s\u200b]+")
#: Marks block boundaries while the tree is flattened; Unicode's own paragraph separator.
_BREAK = "\u2029"


@dataclass
class ExtractedText:
    """The text of a body: paragraphs separated by newlines, headings apart."""

    text: str = ""
    headings: list[str] = field(default_factory=list)
    first_paragraph: str = ""


def strip_templating(source: str) -> str:
    """Remove Liquid tags and output and kramdown extensions, keeping ``{% raw %}`` content."""
    source = _LIQUID_COMMENT_RE.sub("", source)
    source = _LIQUID_RAW_RE.sub(lambda m: m.group(1).replace("{", "\u2774").replace("}", "\u2775"), source)
    source = _LIQUID_TAG_RE.sub("", source)
    source = _LIQUID_OUTPUT_RE.sub("", source)
    source = _KRAMDOWN_COMMENT_RE.sub("", source)
    source = _KRAMDOWN_EXTENSION_RE.sub("", source)
    source = _KRAMDOWN_IAL_RE.sub("", source)
    return source.replace("\u2774", "{").replace("\u2775", "}")


def to_html(source: str, is_markdown: bool) -> str:
    """Render Markdown to HTML; HTML bodies are returned as they are (templating removed)."""
    source = strip_templating(source)
    return _MARKDOWN.render(source) if is_markdown else source


def html_to_text(html: str) -> ExtractedText:
    """Visible text of an HTML fragment, with headings and the first real paragraph apart.

    One walk over the tree (an explicit stack, so deep nesting cannot exhaust recursion):
    BeautifulSoup's ``find_all`` passes cost more than parsing itself.
    """
    soup = BeautifulSoup(html, "html.parser")
    out, headings = [], []
    stack = [(soup, None)]  # (node, None) to enter a node; (element, start of its text) to leave it
    while stack:
        node, start = stack.pop()
        if start is not None:
            if node.name in _HEADING_SET:
                headings.append(_clean("".join(out[start:])))
            out.append(_BREAK if node.name in _BLOCK_SET else " " if node.name in _CELL_SET else "")
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                out.append(str(node))
            continue
        name = node.name
        if name in _DROPPED_SET:
            continue
        if name in ("img", "area"):
            alt = (node.get("alt") or "").strip()
            out.append(f" {alt} " if alt else " ")
            continue
        if name in _BLOCK_SET:
            out.append(_BREAK)
        stack.append((node, len(out)))
        stack.extend((child, None) for child in reversed(node.contents))
    paragraphs = [line for line in map(_clean, "".join(out).split(_BREAK)) if line]
    heading_set = set(headings)
    first_paragraph = next(
        (line for line in paragraphs if line not in heading_set and len(line.split()) >= 8), "")
    return ExtractedText(text="\n".join(paragraphs), headings=[h for h in headings if h],
                         first_paragraph=first_paragraph)


def extract(source: str, is_markdown: bool) -> ExtractedText:
    """The whole chain for one body: templating out, Markdown in, text out."""
    return html_to_text(to_html(source, is_markdown))


def _clean(text: str) -> str:
    return _BLANKS_RE.sub(" ", text).strip()
