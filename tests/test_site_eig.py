"""The real programme site and the ministry's news (from ../shared; skipped when absent)."""

import pytest

from indexer.build.filetable import file_states
from indexer.build.loading import Site
from indexer.build.run import build
from indexer.search.request import SearchRequest

from .conftest import NUMERIQUE, SITE_EIG, require


def records(engine):
    gen = engine.generation()
    return {stored["path"]: stored["record"] for stored in gen.searcher.all_stored_fields()}


def test_every_file_is_indexed_or_accounted_for(site_eig_index, site_eig_engine):
    site = Site(SITE_EIG)
    states = file_states(site_eig_engine.store, site_eig_engine.generation().name)
    statuses = {path: entry["status"] for path, entry in states.items()}
    assert set(statuses) == {source.relative_path for source in site.sources}
    assert set(statuses.values()) <= {"indexed", "draft", "static", "skipped"}
    stats = site_eig_engine.stats()
    assert stats["facets"]["kind"]["défi"] == 71
    assert stats["facets"]["kind"]["personne"] == 259
    assert stats["facets"]["kind"]["article"] == 61  # published French posts and the English ones
    assert stats["facets"]["language"]["en"] >= 11
    assert sorted(p for p, s in statuses.items() if s == "draft") == [
        "_posts/_18-02-13-exemple.md", "_posts/_18-06-05-que-sont-devenus-les-eig-entretien-avec-leo-bouloc.md",
        "_posts/_18-06-15-comment-les-eig-apprennent.md", "_posts/_18-07-24-entree-technique-tensorflow.md",
        "_posts/_18-08-23-opendata-rncs.md"]


@pytest.mark.parametrize("path, url", [
    ("_defis/2019-01-01-cartobio.md", "/defis/2019/cartobio.html"),
    ("_defis/2017-01-01-afd-geodata.md", "/defis/2017/afd-geodata.html"),
    ("_defis/2018-01-01-donneesauvetagemaritime.md", "/defis/2018/donneesauvetagemaritime.html"),
    ("_defis/2020-01-01-operations-18.md", "/defis/2020/operations-18.html"),
    ("_communaute/2017-01-01-constance-de-quatrebarbes.md", "/communaute/2017/constance-de-quatrebarbes.html"),
    ("_posts/18-02-27-bootcamp-comment-souder-un-collectif-de-talents.md",
     "/blog/2018/02/27/bootcamp-comment-souder-un-collectif-de-talents.html"),
    ("_posts/18-05-29-pourquoi-devenir-EIG.md", "/blog/2018/05/29/pourquoi-devenir-EIG.html"),
    ("_posts/2019-06-12-demarche-mesure-impact-eig.md", "/blog/2019/06/12/demarche-mesure-impact-eig.html"),
    ("en/_posts/18-05-29-pourquoi-devenir-EIG.md", "/en/blog/2018/05/29/pourquoi-devenir-EIG.html"),
    ("presentation.html", "/presentation"),
    ("index.html", "/"),
    ("en/index.html", "/en/"),
])
def test_urls_are_the_real_sites_permalinks(site_eig_engine, path, url):
    assert records(site_eig_engine)[path]["url"] == url


def test_data_file_fields_reach_the_defis(site_eig_engine):
    defis = [r for r in records(site_eig_engine).values() if r["kind"] == "défi"]
    complete = [r for r in defis if r["facets"]["promotion"] and r["facets"]["year"] and r["facets"]["administration"]]
    assert len(complete) >= 60
    cartobio = records(site_eig_engine)["_defis/2019-01-01-cartobio.md"]
    assert cartobio["facets"]["promotion"] == ["3"]
    assert cartobio["meta"]["skills"] == ["datascience", "dev"]
    assert cartobio["summary"] == "Cartographier les parcelles cultivées en agriculture biologique"
    assert cartobio["lang"] == "fr"


@pytest.mark.parametrize("query, expected, within", [
    ("securite maritime", "_defis/2019-01-01-cibnav.md", 3),
    ("personnes decedees", "_defis/2017-01-01-mi-matchid.md", 1),
    ("catalogage bibliotheque nationale", "_defis/2017-01-01-bnf-catalogage.md", 1),
    ("l'agriculture biologique", "_defis/2019-01-01-cartobio.md", 3),
    ("navires", "_defis/2019-01-01-cibnav.md", 5),
])
def test_accent_free_plural_and_elision_queries(site_eig_engine, query, expected, within):
    paths = [hit.path for hit in site_eig_engine.search(SearchRequest(q=query)).hits[:within]]
    assert expected in paths


def test_ministry_news_all_indexed_or_reported(tmp_path):
    require(NUMERIQUE)
    report = build(NUMERIQUE, tmp_path / "index")
    site = Site(NUMERIQUE)
    pages = [s for s in site.sources if s.relative_path != "SOURCE.md"]
    assert report.indexed + len(report.drafts) + len(report.skipped) == len(pages)
    assert report.kinds == {"actualité": report.indexed}
    assert report.indexed >= 75
