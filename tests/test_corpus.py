"""The shipped corpus: its shape, its hard cases, and that its text is our own."""

import re
from pathlib import Path

import pytest
import yaml

from indexer.build.run import check
from indexer.site.frontmatter import split

from .conftest import CORPUS, SHARED, require

RUN = 12


def front_matter(path: Path) -> dict:
    return split(path.read_text("utf-8"))[0]


def files(pattern: str) -> list[Path]:
    return sorted(CORPUS.glob(pattern))


def test_corpus_shape():
    defis = files("_defis/*.md")
    posts = [p for p in files("_posts/*.md") if not p.name.startswith("_")
             and front_matter(p).get("published") is not False]
    data = yaml.safe_load((CORPUS / "_data/defis.yml").read_text("utf-8"))
    assert len(defis) >= 45
    assert len(posts) >= 20
    assert len(files("_actualites/*")) >= 10
    assert len(files("en/**/*.md")) >= 5
    assert {entry["promotion"] for entry in data.values()} == {1, 2, 3, 4, 5}
    assert {entry["year"] for entry in data.values()} == {2017, 2018, 2019, 2020, 2021}
    assert len({entry["administration"] for entry in data.values()}) >= 20
    links = {entry["link_to"] for entry in data.values()}
    for defi in defis:
        year, slug = re.match(r"(\d{4})-\d\d-\d\d-(.+)\.md", defi.name).groups()
        assert f"/defis/{year}/{slug}.html" in links, defi.name
    for post in posts:
        meta = front_matter(post)
        assert meta.get("tags") and meta.get("author") and meta.get("description"), post.name
    for news in files("_actualites/*"):
        meta = front_matter(news)
        assert {"categories", "tags", "chapeau-text", "une-ou-diaporama", "auteur"} <= set(meta), news.name


@pytest.mark.parametrize("name, pattern, where", [
    ("Liquid tag", r"\{%|\{\{", "**/*.*"),
    ("iframe or figure", r"<iframe|<figure", "**/*.*"),
    ("ligature œ", r"œ", "**/*.*"),
    ("capital É", r"É", "**/*.*"),
    ("curly apostrophe", r"’", "**/*.*"),
    ("straight apostrophe", r"\w'\w", "**/*.*"),
    ("kramdown attribute list", r"\{: ?[.a-z]", "**/*.*"),
    ("two-digit-year post name", None, "_posts/[0-9][0-9]-*.md"),
    ("underscore draft", None, "_posts/_*.md"),
])
def test_hard_cases_appear_in_at_least_two_files(name, pattern, where):
    matching = [p for p in CORPUS.glob(where) if p.is_file() and p.suffix in (".md", ".markdown", ".html")
                and (pattern is None or re.search(pattern, p.read_text("utf-8")))]
    assert len(matching) >= (1 if name == "underscore draft" else 2), name


def test_drafts_and_tag_case_variants():
    unpublished = [p for p in files("_posts/*.md") if front_matter(p).get("published") is False]
    assert unpublished
    tags = [tag for p in CORPUS.rglob("*.m*") if p.name != "README.md" for tag in front_matter(p).get("tags") or []]
    lowered = {}
    for tag in tags:
        lowered.setdefault(tag.lower(), set()).add(tag)
    assert any(len(spellings) > 1 for spellings in lowered.values())


def test_corpus_indexes_without_problems():
    report = check(CORPUS)
    assert report.skipped == [] and report.warnings == []
    assert len(report.drafts) == 2


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def test_no_twelve_word_run_is_copied_from_the_shared_corpora():
    corpora = require(SHARED / "corpora")
    shared = set()
    for path in corpora.rglob("*"):
        if path.is_file():
            w = words(path.read_text("utf-8", "replace"))
            shared.update(" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1))
    copied = []
    for path in CORPUS.rglob("*"):
        if path.is_file():
            w = words(path.read_text("utf-8"))
            copied += [(path.name, " ".join(w[i:i + RUN])) for i in range(len(w) - RUN + 1)
                       if " ".join(w[i:i + RUN]) in shared]
    assert copied == []
