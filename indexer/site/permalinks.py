"""Public URLs of documents, computed the way Jekyll computes them.

A template such as ``/defis/:year/:title.html`` is filled with the placeholders Jekyll knows
(``:year :month :day :title :name :slug :path :categories :collection :output_ext`` and a few
more); unknown placeholders are left as written, like Jekyll does. A URL is only ever linked
as a path of the site (:func:`is_site_path`).
"""

import re
from datetime import date, datetime

#: ``2019-01-01-cartobio`` and the two-digit-year form ``18-02-27-bootcamp``.
DATED_NAME_RE = re.compile(r"^(\d{2}|\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")

_PLACEHOLDER_RE = re.compile(r":([a-z_]+)")
_PRETTY_UNSAFE_RE = re.compile(r"[^\w.~!$&'()+,;=@]+")
_DEFAULT_UNSAFE_RE = re.compile(r"[^\w]+")


def split_dated_name(stem: str) -> tuple[date | None, str]:
    """``18-02-27-bootcamp`` → ``(date(2018, 2, 27), "bootcamp")``; undated names keep their stem."""
    match = DATED_NAME_RE.match(stem)
    if not match:
        return None, stem
    year, month, day, slug = match.groups()
    year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(year, int(month), int(day)), slug
    except ValueError:
        return None, stem


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: ``pretty`` keeps more punctuation than ``default``."""
    pattern = _PRETTY_UNSAFE_RE if mode == "pretty" else _DEFAULT_UNSAFE_RE
    slug = pattern.sub("-", str(text).replace("_", "-") if mode != "pretty" else str(text))
    slug = slug.strip("-")
    return slug if cased else slug.lower()


def render(template: str, *, title: str, name: str, path: str, doc_date, categories,
           collection: str, output_ext: str) -> str:
    """Fill a permalink template and return a clean absolute path (no ``//``, no ``/./``)."""
    when = doc_date if isinstance(doc_date, (date, datetime)) else None
    values = {
        "title": title,
        "slug": slugify(title),
        "name": slugify(name),
        "path": path,
        "basename": name,
        "collection": collection,
        "categories": "/".join(dict.fromkeys(slugify(c, "pretty").lower() for c in categories)),
        "output_ext": output_ext,
    }
    if when:
        values.update(
            year=f"{when.year:04d}", month=f"{when.month:02d}", day=f"{when.day:02d}",
            i_month=str(when.month), i_day=str(when.day), short_year=f"{when.year % 100:02d}",
            y_day=f"{when.timetuple().tm_yday:03d}",
        )
    url = _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    url = re.sub(r"/{2,}", "/", "/" + url)
    return url.replace("/./", "/")


def normalise(url: str) -> str:
    """A comparable form of a site URL: no host, no ``index.html``, no ``.html``, lowercase."""
    url = re.sub(r"^[a-z]+://[^/]+", "", str(url).strip()).split("#")[0].split("?")[0]
    url = re.sub(r"/index\.html?$", "/", url)
    url = re.sub(r"\.html?$", "", url)
    return "/" + url.strip("/").lower()
