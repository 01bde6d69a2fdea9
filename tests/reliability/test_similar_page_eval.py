"""``eig-search eval`` on ``kind: similar-page`` entries: a page of the site (``path``) whose similar
projects are judged, read, run and scored like the other kinds."""

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.errors import EigSearchError
from indexer.evaluation.judged import parse_queries
from indexer.evaluation.relevance import evaluate, plain_ranking
from indexer.evaluation.report import report

ORGUES = "_defis/2017-01-01-mcc-inventaire-des-orgues.md"
BALISENAV = "_defis/2018-01-01-balisenav.md"
PREDISAUVETAGE = "_defis/2018-01-01-predisauvetage.md"
CIBNAV = "_defis/2019-01-01-cibnav.md"


def page_entry(path, relevant, **more):
    return {"kind": "similar-page", "path": path, "relevant": relevant, **more}


def test_a_similar_page_entry_names_the_page_by_its_path():
    queries = parse_queries([page_entry(BALISENAV, [CIBNAV, PREDISAUVETAGE]),
                             {"kind": "similar", "query": BALISENAV, "relevant": [CIBNAV]}])
    assert [(q.kind, q.query, q.relevant) for q in queries] == [
        ("similar-page", BALISENAV, [CIBNAV, PREDISAUVETAGE]), ("similar", BALISENAV, [CIBNAV])]


@pytest.mark.parametrize("entry, message", [
    (page_entry(BALISENAV, [CIBNAV], query="phares"),
     "R, requête 1 : une requête similar-page donne path, pas query"),
    ({"kind": "keyword", "query": "x", "path": BALISENAV, "relevant": [CIBNAV]},
     "R, requête 1 : une requête keyword donne query, pas path"),
    ({"kind": "similar-page", "relevant": [CIBNAV]}, "R, requête 1 : path doit être un chemin de page non vide"),
    (page_entry(" ", [CIBNAV]), "R, requête 1 : path doit être un chemin de page non vide"),
    (page_entry("/defis/2018/balisenav.html", [CIBNAV]),
     "R, requête 1 : « /defis/2018/balisenav.html » doit être un chemin de fichier source relatif à la racine "
     "du site (par exemple _defis/2019-01-01-cartobio.md)"),
    (page_entry(BALISENAV, [CIBNAV, BALISENAV]),
     f"R, requête 1 : relevant cite la page comparée elle-même ({BALISENAV})"),
    ({"kind": "page", "path": BALISENAV, "relevant": [CIBNAV]},
     "R, requête 1 : kind doit valoir keyword, similar ou similar-page (lu : « page »)"),
])
def test_malformed_similar_page_entries_are_refused(entry, message):
    with pytest.raises(EigSearchError) as error:
        parse_queries([entry], "R")
    assert str(error.value) == message


def test_the_same_page_is_judged_once():
    with pytest.raises(EigSearchError, match=f"requête 2 : la requête similar-page « {BALISENAV} » est déjà"):
        parse_queries([page_entry(BALISENAV, [CIBNAV]), page_entry(BALISENAV, [PREDISAUVETAGE])])


def test_a_similar_page_query_ranks_the_pages_similar_projects(corpus_engine):
    hits = corpus_engine.similar(path=BALISENAV, limit=10)
    expected = [hit.path for hit in hits]
    run = evaluate(corpus_engine, parse_queries([page_entry(BALISENAV, [expected[1], expected[0]])]))
    (result,) = run.results
    assert result.ranked == expected and BALISENAV not in result.ranked
    assert (result.rank_primary, result.rank_any) == (2, 1)
    assert run.summary["similar-page"]["primary"]["success@1"] == 0.0
    assert run.summary["similar-page"]["any"]["success@1"] == 1.0


def test_plain_ranking_of_a_page_is_bm25_of_its_words_among_the_other_defis(corpus_engine):
    generation = corpus_engine.generation()
    ranked = [path for path, _title in plain_ranking(generation, BALISENAV, "similar-page")]
    assert len(ranked) == 10 and BALISENAV not in ranked
    assert all(path.startswith("_defis/") for path in ranked)
    assert plain_ranking(generation, "_defis/absent.md", "similar-page") == []


def test_a_compared_page_missing_from_the_index_is_reported(corpus_engine):
    run = evaluate(corpus_engine, parse_queries([page_entry("_defis/absent.md", [CIBNAV])]))
    assert run.results[0].ranked == [] and run.results[0].rank_any is None
    assert "attention : [similar-page] compare _defis/absent.md, qui n'est pas dans l'index" in report(run)


def test_the_table_shows_the_kinds_asked_with_a_column_wide_enough(corpus_index, tmp_path):
    queries = tmp_path / "pages.yaml"
    queries.write_text(f"- {{kind: similar-page, path: {ORGUES}, relevant: [_defis/absent.md]}}\n"
                       f"- {{kind: keyword, query: orgues, relevant: [{ORGUES}]}}\n", "utf-8")
    result = CliRunner().invoke(main, ["eval", str(queries), "--index", str(corpus_index), "--compare-plain"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2:9] == [
        "type          requêtes  réponse      succès@1  succès@5   MRR@10",
        "keyword              1  principale      1.000     1.000    1.000",
        "                        quelconque      1.000     1.000    1.000",
        "similar-page         1  principale      0.000     0.000    0.000",
        "                        quelconque      0.000     0.000    0.000",
        "ensemble             2  principale      0.500     0.500    0.500",
        "                        quelconque      0.500     0.500    0.500",
    ]
    assert not any(line.startswith("similar ") for line in lines)  # a kind not asked has no rows
    assert f"  [similar-page] « {ORGUES} » : absent du top 10 (_defis/absent.md)" in lines
    assert "Par rapport au classement simple (plain) : 2 requêtes comparables" in lines
    deltas = lines[lines.index("Écarts (projet − plain) :") + 1:]
    assert [line.split()[0] for line in deltas[1::2]] == ["keyword", "similar-page", "ensemble"]
