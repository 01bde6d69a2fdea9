"""Facets worth declaring: front-matter fields holding short strings repeated across many pages.

``eig-search check`` counts, over the pages it read, each field whose values are short texts (or
lists of them): how many pages have it and how many distinct values it takes. A field that many
pages share and whose values recur (a theme, an incubator, a sponsor) makes a good facet; one
value per page (a title, a URL) or one value for all does not. The suggestions come as YAML to
paste into ``search.facets``.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.fields import COMPUTED_FACETS, SearchSettings, capitalised, facet_key

#: Fields that are never facets: what a page is called, where it is, how it is laid out.
NOT_FACETS = frozenset({
    "title", "nom", "name", "description", "chapeau-text", "excerpt", "resume", "summary", "date",
    "permalink", "layout", "slug", "published", "redirect_from", "redirect_to", "link_to", "url",
    "image", "image_url", "logo", "photo", "avatar", "cover", "thumbnail", "lang", "locale", "language",
    "section_id", "sitemap", "order", "weight", "id", "email", "github", "twitter", "website", "link",
})
#: A value longer than this is text, not a category.
MAX_VALUE_CHARS = 60
#: A field is suggested when at least this share of the pages (and 3 of them) have it…
MIN_PAGE_SHARE = 0.05
#: … and its values recur: at most this many distinct values per page having the field.
MAX_VALUES_PER_PAGE = 0.5
#: … and few of the pages having it hold a long text or a structure there instead.
MAX_TEXT_SHARE = 0.1
MAX_SUGGESTIONS = 10
EXAMPLES = 3


@dataclass
class Suggestion:
    """A front-matter field that could be a facet, with its figures."""

    field: str
    values: int  # distinct values
    pages: int  # pages having the field
    examples: list[str] = field(default_factory=list)  # its most frequent values

    @property
    def label(self) -> str:
        return capitalised(re.sub(r"[-_]+", " ", self.field))


def suggest(metas, settings: SearchSettings) -> list[Suggestion]:
    """The fields of ``metas`` (each page's front matter) worth a facet, most shared first;
    fields the settings already read as facets are left out."""
    taken = {name for facet in settings.facets for name in (facet.name, *facet.fields)} | set(COMPUTED_FACETS)
    values: dict[str, Counter] = {}
    pages: Counter = Counter()
    texts: Counter = Counter()  # pages where the field holds a long text or a structure
    forms: dict[str, dict[str, str]] = {}
    total = 0
    for meta in metas:
        total += 1
        for key, value in meta.items():
            if key in taken or key.lower() in NOT_FACETS:
                continue
            found = _short_texts(value)
            if found is None:
                texts[key] += 1
                continue
            if found:
                pages[key] += 1
            for text in found:
                normal = facet_key(text)
                values.setdefault(key, Counter())[normal] += 1
                forms.setdefault(key, {}).setdefault(normal, text)
    found = []
    for key, count in pages.items():
        counted = values[key]
        if texts[key] > MAX_TEXT_SHARE * count or count < max(3, MIN_PAGE_SHARE * total):
            continue
        if not 2 <= len(counted) <= MAX_VALUES_PER_PAGE * count:
            continue
        examples = [forms[key][normal] for normal, _n in counted.most_common(EXAMPLES)]
        found.append(Suggestion(key, len(counted), count, examples))
    found.sort(key=lambda item: (-item.pages, item.field))
    return found[:MAX_SUGGESTIONS]


def as_yaml(suggestions: list[Suggestion], settings: SearchSettings) -> str:
    """A ``search:`` section with today's facets and the suggested ones, ready to paste."""
    lines = ["search:", "  facets:"]
    for facet in settings.facets:
        if not facet.hidden:
            fields = facet.fields if len(facet.fields) > 1 else ()
            lines.append(f"    - {{field: {_scalar(facet.name)}, label: {_scalar(facet.label)}"
                         + (f", fields: [{', '.join(map(_scalar, fields))}]" if fields else "") + "}")
    for item in suggestions:
        lines.append(f"    - {{field: {_scalar(item.field)}, label: {_scalar(item.label)}}}"
                     f"  # {item.values} valeurs sur {item.pages} pages : {', '.join(item.examples)}")
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    """A YAML scalar for ``text``: as is when plain, else quoted (a JSON string is YAML)."""
    return text if re.fullmatch(r"[^\W\d][\w-]*", text) else json.dumps(text, ensure_ascii=False)


def _short_texts(value) -> list[str] | None:
    """A value's short texts; None when it is no category (a long text, a mapping, a list of them)."""
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, (dict, list)):
            return None
        text = str(item).strip()
        if len(text) > MAX_VALUE_CHARS or "\n" in text or text.startswith(("/", "http://", "https://")):
            return None
        if text:
            texts.append(text)
    return texts
