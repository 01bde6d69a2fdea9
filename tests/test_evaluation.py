"""Judged-query evaluation: metrics on hand-computed rankings, file checks, comparisons, the command."""

import json

import pytest
from click.testing import CliRunner

from indexer.build.run import build
from indexer.cli import main
from indexer.errors import EigSearchError
from indexer.evaluation.judged import load_queries, parse_queries
from indexer.evaluation.metrics import (
    METRICS,
    QueryResult,
    compare,
    mrr,
    rank_of,
    success_at,
    summarise,
)
from indexer.evaluation.relevance import evaluate, plain_query, plain_ranking
from indexer.evaluation.report import comparison_report, metrics_table, report

from .conftest import CORPUS, DEV_QUERIES, require

ORGUES = "_defis/2017-01-01-mcc-inventaire-des-orgues.md"
ORGUES_NEWS = "_actualites/patrimoine-inventaire-des-orgues-en-open-data.markdown"
CARTOBIO = "_defis/2019-01-01-cartobio.md"
CARTOBIO_POST = "_posts/2019-02-20-cartobio-agriculture-biologique.md"
FRAUDE = "_defis/2017-01-01-dgfip-fraude-fiscale.md"
MONITORFISH = "_defis/2020-01-01-monitorfish.md"

# Judged so that the ranks hold whatever the tuning: the answers of "orgues", "orgue" and of the
# fishing text are far ahead of any other page; a page about tax fraud never answers "agriculture
# biologique"; an actualité never comes up among similar défis.
CORPUS_QUERIES = f"""\
- {{kind: keyword, query: "orgues", relevant: [{ORGUES}]}}
- {{kind: keyword, query: "orgue", relevant: [{ORGUES_NEWS}, {ORGUES}]}}
- {{kind: keyword, query: "agriculture biologique", relevant: [{FRAUDE}, {CARTOBIO}, {CARTOBIO_POST}]}}
- {{kind: similar, query: "Surveiller les navires de pêche et les zones maritimes protégées.", relevant: [{MONITORFISH}]}}
- {{kind: similar, query: "Recenser les orgues des églises pour protéger le patrimoine.", relevant: [{ORGUES_NEWS}]}}
"""


def result(rank_primary, rank_any, query="q", kind="keyword", relevant=("a.md",)):
    return QueryResult(kind=kind, query=query, relevant=list(relevant), ranked=[], titles=[],
                       rank_primary=rank_primary, rank_any=rank_any)


@pytest.fixture
def runner():
    return CliRunner()


# -- metrics ----------------------------------------------------------------------------------------

def test_metrics_on_hand_computed_ranks():
    ranks = [1, 3, None, 2]
    assert success_at(ranks, 1) == 0.25
    assert success_at(ranks, 5) == 0.75
    assert mrr(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)


@pytest.mark.parametrize("ranks, at1, at5, expected_mrr", [
    ([1], 1.0, 1.0, 1.0),
    ([None], 0.0, 0.0, 0.0),
    ([5, 6], 0.0, 0.5, (1 / 5 + 1 / 6) / 2),
    ([10, 11, 2], 0.0, 1 / 3, (1 / 10 + 0 + 1 / 2) / 3),  # rank 11 is past MRR@10's cutoff
    ([1, 1, 4, None, 7], 0.4, 0.6, (1 + 1 + 1 / 4 + 0 + 1 / 7) / 5),
])
def test_success_and_mrr(ranks, at1, at5, expected_mrr):
    assert success_at(ranks, 1) == pytest.approx(at1)
    assert success_at(ranks, 5) == pytest.approx(at5)
    assert mrr(ranks) == pytest.approx(expected_mrr)


def test_metrics_of_no_query_are_undefined_not_zero():
    assert success_at([], 1) is None
    assert mrr([]) is None


def test_rank_of_counts_from_one_within_the_top_ten():
    ranked = ["a", "b", "c"]
    assert rank_of(ranked, ["c"]) == 3
    assert rank_of(ranked, ["c", "b"]) == 2  # any listed answer: the first one ranked
    assert rank_of(ranked, ["z"]) is None
    assert rank_of([f"p{i}" for i in range(1, 13)], ["p11"]) is None
    assert rank_of([f"p{i}" for i in range(1, 13)], ["p10"]) == 10


def test_primary_and_any_answer_are_scored_apart():
    results = [result(1, 1), result(3, 1), result(None, 2), result(None, None, kind="similar")]
    summary = summarise(results)
    assert summary["keyword"] == {
        "queries": 3,
        "primary": {"success@1": 1 / 3, "success@5": 2 / 3, "mrr@10": pytest.approx((1 + 1 / 3) / 3)},
        "any": {"success@1": 2 / 3, "success@5": 1.0, "mrr@10": pytest.approx((1 + 1 + 1 / 2) / 3)},
    }
    assert summary["similar"]["primary"] == {"success@1": 0.0, "success@5": 0.0, "mrr@10": 0.0}
    assert summary["all"]["queries"] == 4
    assert summary["all"]["any"]["success@1"] == 0.5


def test_a_kind_without_queries_has_no_figures():
    summary = summarise([result(1, 1)])
    assert summary["similar"] == {"queries": 0, "primary": dict.fromkeys(METRICS),
                                  "any": dict.fromkeys(METRICS)}
    assert "—" in "\n".join(metrics_table(summary))
    assert [line.split()[0] for line in metrics_table(summary, groups=["keyword", "all"])[1::2]] == [
        "keyword", "ensemble"]


# -- comparisons ------------------------------------------------------------------------------------

def test_comparison_orders_by_any_answer_then_primary():
    before = [result(2, 2, "any better"), result(1, 1, "primary worse"), result(None, None, "found"),
              result(3, 1, "same"), result(1, 1, "rejudged"), result(1, 1, "dropped")]
    after = [result(5, 1, "any better"), result(3, 1, "primary worse"), result(10, 10, "found"),
             result(3, 1, "same"), result(4, 4, "rejudged", relevant=("b.md",)), result(1, 1, "new")]
    comparison = compare(after, before)
    assert [new.query for _old, new in comparison.better] == ["any better", "found"]
    assert [new.query for _old, new in comparison.worse] == ["primary worse"]
    assert comparison.common == 4
    assert [r.query for r in comparison.added] == ["new"]
    assert [r.query for r in comparison.removed] == ["dropped"]
    assert [r.query for r in comparison.rejudged] == ["rejudged"]
    # primary MRR: before (1/2 + 1 + 0 + 1/3 + 1 + 1) / 6, after (1/5 + 1/3 + 1/10 + 1/3 + 1/4 + 1) / 6
    assert comparison.deltas["keyword"]["primary"]["mrr@10"] == pytest.approx(
        (1 / 5 + 1 / 3 + 1 / 10 + 1 / 3 + 1 / 4 + 1) / 6 - (1 / 2 + 1 + 0 + 1 / 3 + 1 + 1) / 6)
    assert comparison.deltas["similar"]["any"]["success@1"] is None
    lines = comparison_report(comparison, "Par rapport à avant")
    assert lines[1:6] == [
        "Par rapport à avant : 4 requêtes comparables",
        "Mieux (2) :",
        "  [keyword] « any better » : principale 2 → 5, quelconque 2 → 1",
        "  [keyword] « found » : principale hors top 10 → 10, quelconque hors top 10 → 10",
        "Moins bien (1) :",
    ]


# -- the judged-query file --------------------------------------------------------------------------

GOOD = '{kind: keyword, query: "x", relevant: [_defis/a.md]}'


@pytest.mark.parametrize("text, message", [
    ("kind: keyword\n", "F : une liste de requêtes est attendue, une par ligne "
                        "« - {kind: keyword, query: \"…\", relevant: [chemin, …]} »"),
    ("[]\n", "F : aucune requête jugée"),
    ("- [keyword, x]\n", "F, requête 1 : un dictionnaire {kind, query, relevant} est attendu"),
    (f"- {GOOD}\n- {{kind: keyword, query: y, relevant: [a.md], note: z}}\n",
     "F, requête 2 : clé inconnue « note » (clés permises : kind, query, path, relevant)"),
    ("- {kind: motcle, query: x, relevant: [a.md]}\n",
     "F, requête 1 : kind doit valoir keyword, similar ou similar-page (lu : « motcle »)"),
    ("- {query: x, relevant: [a.md]}\n", "F, requête 1 : kind doit valoir keyword, similar ou similar-page (lu : « None »)"),
    ("- {kind: similar, query: '  ', relevant: [a.md]}\n", "F, requête 1 : query doit être un texte non vide"),
    ("- {kind: keyword, query: 42, relevant: [a.md]}\n", "F, requête 1 : query doit être un texte non vide"),
    ("- {kind: keyword, query: x, relevant: a.md}\n",
     "F, requête 1 : relevant doit être une liste non vide de chemins de pages (la réponse principale en premier)"),
    ("- {kind: keyword, query: x, relevant: []}\n",
     "F, requête 1 : relevant doit être une liste non vide de chemins de pages (la réponse principale en premier)"),
    ("- {kind: keyword, query: x, relevant: [/defis/2017/a.html]}\n",
     "F, requête 1 : « /defis/2017/a.html » doit être un chemin de fichier source relatif à la racine du site "
     "(par exemple _defis/2019-01-01-cartobio.md)"),
    ("- {kind: keyword, query: x, relevant: [a.md, a.md]}\n", "F, requête 1 : relevant cite deux fois la même page"),
    (f"- {GOOD}\n- {GOOD}\n", "F, requête 2 : la requête keyword « x » est déjà jugée plus haut"),
])
def test_malformed_judged_queries_are_rejected_with_a_clear_message(tmp_path, text, message):
    path = tmp_path / "F"
    path.write_text(text, "utf-8")
    with pytest.raises(EigSearchError) as error:
        load_queries(path)
    assert str(error.value) == message.replace("F", str(path), 1)


def test_broken_yaml_and_missing_file(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(f"- {GOOD}\n- {{kind: keyword, query: \"y\"\n", "utf-8")
    with pytest.raises(EigSearchError, match=r"q\.yaml : YAML mal formé : .*\(ligne \d+\)$"):
        load_queries(path)
    with pytest.raises(EigSearchError, match="fichier de requêtes introuvable : .*absent.yaml"):
        load_queries(tmp_path / "absent.yaml")


def test_valid_entries_are_kept_in_order():
    queries = parse_queries([{"kind": "similar", "query": "texte", "relevant": ["b.md", "a.md"]},
                             {"kind": "keyword", "query": "texte", "relevant": ["c.md"]}])
    assert [(q.kind, q.query, q.relevant) for q in queries] == [
        ("similar", "texte", ["b.md", "a.md"]), ("keyword", "texte", ["c.md"])]


# -- the plain reference ----------------------------------------------------------------------------

def test_plain_query_is_an_or_of_stems_over_title_and_body():
    assert str(plain_query("l'agriculture biologique de l'agriculture")) == (
        "(title:agricultur^3.0 OR body:agricultur OR title:biolog^3.0 OR body:biolog)")
    assert plain_query("de la et") is None


def test_plain_ranking_ranks_every_kind_for_keywords_and_only_defis_for_similar(corpus_engine):
    generation = corpus_engine.generation()
    keyword = plain_ranking(generation, "orgues", "keyword")
    assert [path for path, _title in keyword[:3]] == [ORGUES, ORGUES_NEWS, "defis.html"]
    assert keyword[0][1] == "Inventaire des orgues"
    similar = plain_ranking(generation, "inventaire des orgues de France", "similar")
    assert similar[0][0] == ORGUES
    assert all(path.startswith("_defis/") for path, _title in similar)
    assert plain_ranking(generation, "de la et du", "keyword") == []


def test_judged_pages_missing_from_the_index_are_reported(corpus_engine):
    queries = parse_queries([{"kind": "keyword", "query": "orgues", "relevant": [ORGUES, "_defis/absent.md"]}])
    run = evaluate(corpus_engine, queries)
    assert run.unknown_paths == [(queries[0], "_defis/absent.md")]
    assert ("attention : [keyword] « orgues » juge pertinente _defis/absent.md, qui n'est pas dans l'index"
            in report(run))


# -- the command ------------------------------------------------------------------------------------

def test_eval_command_on_the_shipped_corpus(runner, tmp_path):
    index, queries, out = tmp_path / "index", tmp_path / "evaluation.yaml", tmp_path / "now.json"
    build(CORPUS, index)
    queries.write_text(CORPUS_QUERIES, "utf-8")
    result = runner.invoke(main, ["eval", str(queries), "--index", str(index), "--json", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        "5 requêtes jugées, classement project, index gen-000001",
        "",
        "type       requêtes  réponse      succès@1  succès@5   MRR@10",
        "keyword           3  principale      0.333     0.667    0.500",
        "                     quelconque      1.000     1.000    1.000",
        "similar           2  principale      0.500     0.500    0.500",
        "                     quelconque      0.500     0.500    0.500",
        "ensemble          5  principale      0.400     0.600    0.500",
        "                     quelconque      0.800     0.800    0.800",
    ]
    assert lines[10:13] == [
        "Réponse principale pas en tête (3) :",
        f"  [keyword] « orgue » : rang 2 ({ORGUES_NEWS})",
        f"      1. Inventaire des orgues — {ORGUES}  [réponse jugée]",
    ]
    assert f"  [keyword] « agriculture biologique » : absent du top 10 ({FRAUDE})" in lines
    assert ("  [similar] « Recenser les orgues des églises pour protéger le patrimoine. » : "
            f"absent du top 10 ({ORGUES_NEWS})") in lines
    assert sum("[réponse jugée]" in line for line in lines) == 3  # orgue's défi, agriculture's two CartoBio pages
    assert "Résultats écrits dans" in result.stderr

    saved = json.loads(out.read_text("utf-8"))
    assert (saved["ranking"], saved["generation"]) == ("project", "gen-000001")
    assert saved["summary"]["all"]["primary"] == {"success@1": 0.4, "success@5": 0.6, "mrr@10": 0.5}
    assert [(q["query"], q["rank_primary"], q["rank_any"]) for q in saved["queries"]] == [
        ("orgues", 1, 1), ("orgue", 2, 1), ("agriculture biologique", None, 1),
        ("Surveiller les navires de pêche et les zones maritimes protégées.", 1, 1),
        ("Recenser les orgues des églises pour protéger le patrimoine.", None, None)]
    first = saved["queries"][0]
    assert set(first) == {"kind", "query", "relevant", "ranked", "titles", "rank_primary", "rank_any"}
    assert first["ranked"][0] == ORGUES and len(first["ranked"]) <= 10

    # An older run where "orgues" came third and "orgue" first, before the last query was judged.
    saved["queries"][0].update(rank_primary=3, rank_any=3)
    saved["queries"][1].update(rank_primary=1)
    del saved["queries"][4]
    baseline = tmp_path / "before.json"
    baseline.write_text(json.dumps(saved), "utf-8")
    compared = runner.invoke(main, ["eval", str(queries), "--index", str(index), "--baseline", str(baseline)])
    assert compared.exit_code == 0, compared.output
    tail = compared.stdout.splitlines()
    start = tail.index(f"Par rapport à {baseline} (classement project, index gen-000001) : 4 requêtes comparables")
    assert tail[start:] == [
        f"Par rapport à {baseline} (classement project, index gen-000001) : 4 requêtes comparables",
        "Mieux (1) :",
        "  [keyword] « orgues » : principale 3 → 1, quelconque 3 → 1",
        "Moins bien (1) :",
        "  [keyword] « orgue » : principale 1 → 2, quelconque 1 → 1",
        "Requêtes nouvelles (1) : « Recenser les orgues des églises pour… »",
        "Écarts (maintenant − référence) :",
        "type       requêtes  réponse      succès@1  succès@5   MRR@10",
        "keyword              principale     +0.000    +0.000   +0.056",
        "                     quelconque     +0.333    +0.000   +0.222",
        "similar              principale     -0.500    -0.500   -0.500",
        "                     quelconque     -0.500    -0.500   -0.500",
        "ensemble             principale     -0.100    -0.150   -0.083",
        "                     quelconque     +0.050    -0.200   -0.033",
    ]


def test_eval_plain_ranking_and_comparison_with_it(runner, corpus_index, tmp_path):
    queries = tmp_path / "evaluation.yaml"
    queries.write_text(CORPUS_QUERIES, "utf-8")
    plain = runner.invoke(main, ["eval", str(queries), "--index", str(corpus_index), "--ranking", "plain"])
    assert plain.exit_code == 0, plain.output
    lines = plain.stdout.splitlines()
    assert lines[0] == "5 requêtes jugées, classement plain, index gen-000001"
    assert lines[7:9] == ["ensemble          5  principale      0.400     0.600    0.500",
                          "                     quelconque      0.800     0.800    0.800"]
    both = runner.invoke(main, ["eval", str(queries), "--index", str(corpus_index), "--compare-plain"])
    assert both.exit_code == 0, both.output
    assert "Par rapport au classement simple (plain) : 5 requêtes comparables" in both.stdout
    assert "Régressions face à plain (0)" in both.stdout.splitlines()
    assert "Écarts (projet − plain) :" in both.stdout
    refused = runner.invoke(main, ["eval", str(queries), "--index", str(corpus_index), "--ranking", "plain",
                                   "--compare-plain"])
    assert refused.exit_code == 2
    assert "inutile avec --ranking plain" in refused.output


def test_eval_errors_are_messages(runner, corpus_index, tmp_path):
    queries = tmp_path / "evaluation.yaml"
    queries.write_text(CORPUS_QUERIES, "utf-8")
    missing = runner.invoke(main, ["eval", str(queries), "--index", str(tmp_path / "none")])
    assert missing.exit_code == 1
    assert "Erreur : aucun index dans" in missing.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("- {kind: keyword, query: x}\n", "utf-8")
    rejected = runner.invoke(main, ["eval", str(broken), "--index", str(corpus_index)])
    assert rejected.exit_code == 1
    assert "relevant doit être une liste non vide" in rejected.output
    not_results = runner.invoke(main, ["eval", str(queries), "--index", str(corpus_index), "--baseline", str(queries)])
    assert not_results.exit_code == 1
    assert "ce n'est pas un fichier écrit par « eig-search eval --json »" in not_results.output


def test_eval_on_the_dev_queries_of_the_real_site(runner, site_eig_index, tmp_path):
    """The sections only: the ranking is tuned elsewhere, its figures move."""
    require(DEV_QUERIES)
    judged = load_queries(DEV_QUERIES)
    out = tmp_path / "dev.json"
    result = runner.invoke(main, ["eval", str(DEV_QUERIES), "--index", str(site_eig_index), "--json", str(out),
                                  "--compare-plain"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{len(judged)} requêtes jugées, classement project, index gen-")
    labels = [line.split()[:3] for line in lines[3:9:2]]
    assert [label[0] for label in labels] == ["keyword", "similar", "ensemble"]
    assert int(labels[2][1]) == len(judged)
    assert not any(line.startswith("attention :") for line in lines)  # every judged page is indexed
    assert any(line.startswith("Réponse principale") for line in lines)
    assert f"Par rapport au classement simple (plain) : {len(judged)} requêtes comparables" in lines
    assert any(line.startswith("Régressions face à plain (") for line in lines)
    saved = json.loads(out.read_text("utf-8"))
    assert len(saved["queries"]) == len(judged)
    assert set(saved["summary"]) == {"keyword", "similar", "similar-page", "all"}
