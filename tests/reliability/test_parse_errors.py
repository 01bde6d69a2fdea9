"""A bad file is that file's report; a bug is a bug.

The site reader turns whatever a file can hold into :class:`~indexer.errors.FileRejected` with a
reason; the parse step catches nothing else, so a ``TypeError`` or ``ValueError`` of the
program's own code stops the run with its traceback instead of passing for an unreadable file.
"""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build.parsing import init_worker, parse
from indexer.build.run import build, check
from indexer.errors import FileRejected
from indexer.site.config import load_config
from indexer.site.datafiles import DataIndex
from indexer.site.files import SourceFile, discover

POST = "---\ntitle: Phares\n---\nLes phares guident les navires.\n"
COLLECTION = "collections:\n  defis:\n    output: true\n"


@pytest.mark.parametrize("target, error", [
    ("indexer.site.documents._title", TypeError("bug in the reader")),
    ("indexer.site.documents.extract", ValueError("bug in the text extraction")),
    ("indexer.build.parsing.record_for", TypeError("bug in the record")),
])
def test_a_bug_of_the_parse_step_stops_the_run_instead_of_skipping_the_file(make_site, tmp_path, monkeypatch,
                                                                            target, error):
    root = make_site({"_posts/2020-01-01-phares.md": POST})

    def broken(*args, **kwargs):
        raise error
    monkeypatch.setattr(target, broken)
    with pytest.raises(type(error), match=str(error)):
        check(root)
    with pytest.raises(type(error), match=str(error)):
        build(root, tmp_path / "index")
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_values_yaml_reads_but_python_cannot_hold_are_that_files_report(make_site):
    root = make_site({
        "_config.yml": COLLECTION,
        "_posts/2020-01-01-bonne.md": POST,
        "_posts/2020-01-02-date.md": "---\ntitle: a\ndate: 2020-02-30\n---\nx\n",
        "_posts/2020-01-03-nombre.md": f"---\ntitle: a\nyear: 0x{'f' * 4000}\n---\nx\n",
        "_posts/2020-01-04-omap.md": "---\ntitle: a\nx: !!omap [ {a: " + "[" * 40 + "]" * 40 + "} ]\n---\nx\n",
        "_data/nombres.yml": f"- link_to: /2020/01/01/bonne.html\n  n: 0b{'1' * 5000}\n",
        "_defis/liste.md": "---\ntitle: Liste\npermalink: [a, b]\n---\nUn défi.\n",
    })
    report = check(root)
    assert {(p.path, p.reason) for p in report.skipped} == {
        ("_posts/2020-01-02-date.md", "front matter mal formé : day is out of range for month"),
        ("_posts/2020-01-03-nombre.md", "front matter : nombre trop grand (plus de 1000 chiffres)"),
        ("_posts/2020-01-04-omap.md", "front matter trop imbriqué (plus de 32 niveaux)"),
        ("_data/nombres.yml", "fichier de données : nombre trop grand (plus de 1000 chiffres)"),
    }
    assert [(w.path, w.reason) for w in report.warnings] == [
        ("_defis/liste.md", "permalien ignoré (ce n'est pas un texte) : page liée à son adresse par défaut")]
    assert report.kinds == {"article": 1, "défi": 1}


def test_config_settings_of_the_wrong_shape_are_reported_and_left_out(make_site, tmp_path):
    root = make_site({
        "_config.yml": "collections:\n  defis:\n    output: true\n    permalink: [a]\n"
                       "defaults:\n  - scope: _posts\n    values: {lang: en}\n  - values: {auteur: Ada}\n"
                       "exclude: brouillons\n",
        "_posts/2020-01-01-phares.md": POST,
        "_defis/phares.md": POST,
        "brouillons/page.md": POST,
    })
    report = build(root, tmp_path / "index")
    assert [(p.path, p.reason) for p in report.skipped] == [
        ("_config.yml", "réglage permalink de la collection defis ignoré : ce n'est pas un texte"),
        ("_config.yml", "réglage defaults : entrée ignorée, son scope n'est pas une liste de réglages (path, type)"),
        ("_config.yml", "réglage exclude ignoré : ce n'est pas une liste"),
    ]
    assert report.indexed == 3  # brouillons/page.md too: the exclude setting was left out
    assert load_config(root).collections["defis"].permalink is None


def test_collections_that_are_neither_names_nor_settings_are_reported(make_site):
    root = make_site({"_config.yml": "collections: defis\n", "_posts/2020-01-01-phares.md": POST})
    report = check(root)
    assert [(p.path, p.reason) for p in report.skipped] == [
        ("_config.yml", "réglage collections ignoré : ce n'est ni une liste de noms ni une liste de réglages")]
    assert report.kinds == {"article": 1}


# -- whatever a front matter or a _config.yml holds: a page, or a file refused with its reason ----------

KEYS = ("title", "nom", "date", "permalink", "categories", "tags", "lang", "slug", "published", "year",
        "description", "layout", "thematiques", "link_to", "1")
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10 ** 1100, max_value=10 ** 1100),
    st.floats(), st.text(max_size=12), st.dates(), st.datetimes(),
    st.sampled_from(["/x/", ":title", "/\\autre.site", "date", "pretty", "fr-FR", "2019-13-45"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
SOURCES = (SourceFile("_posts/2020-01-01-a.md", "posts"), SourceFile("_defis/b.md", "defis"),
           SourceFile("c.html", "pages"))


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), source=st.sampled_from(SOURCES))
def test_any_front_matter_gives_a_page_or_a_reason(make_site, meta, source):
    root = make_site({"_config.yml": COLLECTION})
    init_worker(root, load_config(root), DataIndex())
    (root / source.relative_path).parent.mkdir(parents=True, exist_ok=True)
    (root / source.relative_path).write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\ncorps\n",
                                             "utf-8", errors="surrogatepass")
    parsed = parse(source)  # anything but FileRejected would raise here
    assert parsed.status in ("indexed", "draft", "static", "skipped")
    assert parsed.reason or parsed.status != "skipped"


CONFIG_KEYS = ("collections", "defaults", "exclude", "permalink", "url", "baseurl", "scope", "values", "path",
               "type", "output", "kind", "defis", "posts")
CONFIG_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=8),
              st.sampled_from(["/x/", ":title", "date", "defis", "_defis", "posts", "pages"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(CONFIG_KEYS), inner,
                                                                          max_size=4)),
    max_leaves=20)


@settings(derandomize=True, max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=st.dictionaries(st.sampled_from(CONFIG_KEYS), CONFIG_VALUES, max_size=6))
def test_any_config_gives_pages_or_reasons(make_site, config):
    root = make_site({"_posts/2020-01-01-a.md": POST, "_defis/b.md": POST, "c.html": POST})
    (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    try:
        site_config = load_config(root)
    except FileRejected:  # a _config.yml that is no mapping: the run stops with this message
        return
    init_worker(root, site_config, DataIndex())
    for source in discover(root, site_config, tuple(site_config.exclude))[0]:
        assert parse(source).status in ("indexed", "draft", "static", "skipped")

