"""The query log in one process: what a search records (normalised, nothing of the visitor),
grouping, retention, purge, the setting that turns it off, and ``eig-search report``.

Searches go through the real app (Flask test client, ``buffered=True`` so that the response is
closed as a WSGI server closes it, which writes the log) on a real index; the report reads the
real SQLite file. The server side (gunicorn workers writing at once) is in
``test_query_log_server.py``.
"""

import json
import logging
import re
import shutil
import sqlite3
import time

import pytest
from click.testing import CliRunner

from indexer.build.run import build
from indexer.cli import main
from indexer.querylog import database, entries, report
from indexer.querylog.recorder import Recorder
from indexer.search.request import SearchRequest
from searchweb.recording import EXTENSION as RECORDER

from .support import CORPUS

DAY = 86_400


@pytest.fixture
def log_file(tmp_path):
    (tmp_path / "journal").mkdir()
    return tmp_path / "journal" / "queries.sqlite3"


@pytest.fixture
def client(make_app, corpus_index, log_file):
    return make_app({"INDEX_DIR": str(corpus_index), "QUERY_LOG": str(log_file)}).test_client()


def get(client, target: str, **options):
    """A request whose response is closed, as gunicorn closes it: the log is written then."""
    response = client.get(target, buffered=True, **options)
    assert response.status_code == 200, response.data[:300]
    return response


def rows(path) -> list[dict]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute("SELECT * FROM searches ORDER BY id")]
    finally:
        db.close()


def report_cli(*args, **env):
    """``eig-search report ARGS`` in this process, with only the given EIG_SEARCH_ settings."""
    variables = {database.PATH_VARIABLE: None, database.DAYS_VARIABLE: None, "EIG_SEARCH_INDEX": None, **env}
    return CliRunner().invoke(main, ["report", *map(str, args)], env=variables, prog_name="eig-search")


# -- normalisation and grouping ---------------------------------------------------------------------

@pytest.mark.parametrize("typed, recorded", [
    ("Sécurité", "securite"),
    ("  SÉCURITÉ \t  maritime  ", "securite maritime"),
    ("se\u0301curite\u0301", "securite"),  # accents typed decomposed (NFD)
    ("L'Économie d’aujourd’hui", "economie aujourdhui"),
    ('"Données ouvertes" -Santé OR data', '"donnees ouvertes" -sante OR data'),
    ("phare\u200b\u202e du\x00four", "phare du four"),  # invisible characters dropped, NUL a space
    ("Œuvre", "oeuvre"),
    ("   ", ""),
])
def test_a_query_is_recorded_in_its_normalised_form(typed, recorded):
    assert entries.normalise(typed) == recorded


def test_searches_group_by_normalised_query_across_pages_and_api(client, log_file):
    for target in ("/api/search?q=Sécurité", "/recherche?q=securite", "/api/search?q=%20SECURITE%20%20",
                   "/api/search?q=se%CC%81curite%CC%81", "/api/search?q=phare", "/recherche?q=securite&page=2"):
        get(client, target)
    figures = report.read(log_file)
    assert figures["searches"] == 6
    total = get(client, "/api/search?q=securite").json["total"]
    assert figures["top"] == [{"query": "securite", "count": 4, "average_results": float(total)},
                              {"query": "phare", "count": 1, "average_results": 1.0}]


def test_a_row_holds_the_search_and_nothing_of_the_visitor(client, log_file):
    before = time.time()
    get(client, "/recherche?q=Donnes+de+sante&kind=d%C3%A9fi&sort=date&page=1&per_page=20",
        headers={"User-Agent": "Sonde/1.0", "Cookie": "visite=42"})
    get(client, "/api/search?q=Phare+Agriculture")
    corrected, relaxed = rows(log_file)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", corrected.pop("minute"))
    assert entries.minute(before - 60) <= entries.minute() and corrected.pop("ms") > 0
    assert corrected == {"id": 1, "kind": "search", "source": "page", "query": "donnes de sante",
                         "filters": '{"kind": ["défi"]}', "sort": "date", "page": 1, "results": corrected["results"],
                         "corrections": '{"donnes": "donnees"}', "relaxed": 0, "suggestion": None}
    assert corrected["results"] > 0
    assert {key: relaxed[key] for key in ("source", "query", "relaxed", "corrections")} == {
        "source": "api", "query": "phare agriculture", "relaxed": 1, "corrections": ""}


def test_suggestions_and_the_empty_home_page_are_not_searches(client, log_file):
    for target in ("/api/suggest?q=pha", "/", "/recherche", "/api/search?q=", "/recherche?sort=date"):
        get(client, target)
    assert not log_file.exists()
    get(client, "/recherche?tags=sant%C3%A9")  # a filter alone is a search
    assert [(row["query"], row["filters"]) for row in rows(log_file)] == [("", '{"tags": ["santé"]}')]


def test_similar_projects_are_their_own_kind_and_a_pasted_text_is_not_kept(client, log_file, corpus_engine):
    path = corpus_engine.search(SearchRequest(q="phare")).hits[0].path
    get(client, f"/api/similar?path={path}")
    assert client.post("/api/similar", json={"text": "Données de santé de Madame Dupont"},
                       buffered=True).status_code == 200
    get(client, f"/similaires?path={path}")
    recorded = [(row["kind"], row["source"], row["query"]) for row in rows(log_file)]
    assert recorded == [("similar", "api", path), ("similar", "api", ""), ("similar", "page", path)]
    assert b"dupont" not in log_file.read_bytes().lower()
    assert report.read(log_file)["similar"] == 3


# -- where the log is, and when there is none ---------------------------------------------------------

def test_the_log_is_beside_the_generations_by_default(make_app, tmp_path):
    index = tmp_path / "index"
    build(CORPUS, index)
    get(make_app({"INDEX_DIR": str(index)}).test_client(), "/api/search?q=phare")
    assert (index / "queries.sqlite3").is_file()
    assert [row["query"] for row in rows(index / "queries.sqlite3")] == ["phare"]
    with pytest.raises(ValueError, match="il serait effacé avec la génération gen-000001"):
        database.log_path(index / "gen-000001" / "log.sqlite3", index)


def test_off_records_nothing_and_the_report_says_so(make_app, corpus_index, tmp_path):
    index = shutil.copytree(corpus_index, tmp_path / "index", ignore=shutil.ignore_patterns("queries.sqlite3*"))
    app = make_app({"INDEX_DIR": str(index), "QUERY_LOG": "off"})
    get(app.test_client(), "/api/search?q=phare")
    assert RECORDER not in app.extensions
    assert not list(index.glob("queries.sqlite3*"))
    done = report_cli("--index", index, EIG_SEARCH_QUERY_LOG="off")
    assert (done.exit_code, done.output) == (1, "Erreur : le journal des recherches est désactivé "
                                                "(EIG_SEARCH_QUERY_LOG=off)\n")


def test_a_log_that_cannot_be_written_never_fails_a_search(make_app, corpus_index, tmp_path, caplog):
    blocker = tmp_path / "un-fichier"
    blocker.write_text("")
    client = make_app({"INDEX_DIR": str(corpus_index), "QUERY_LOG": str(blocker / "queries.sqlite3")}).test_client()
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            assert get(client, "/api/search?q=phare").json["total"] == 1
    messages = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(messages) == 1
    assert messages[0].startswith(f"journal des recherches {blocker / 'queries.sqlite3'} : écriture impossible (")
    assert messages[0].endswith("les recherches sont servies sans être enregistrées")


@pytest.mark.parametrize("value", ["0", "-3", "six mois", "1.5"])
def test_a_bad_retention_setting_is_refused_in_french(make_app, corpus_index, value):
    with pytest.raises(ValueError, match=f"EIG_SEARCH_QUERY_LOG_DAYS : un nombre entier de jours, au moins 1 "
                                         f"\\(reçu : « {re.escape(value)} »\\)"):
        make_app({"INDEX_DIR": str(corpus_index), "QUERY_LOG_DAYS": value})


# -- retention and purge ------------------------------------------------------------------------------

def entry(query: str, age_days: float, results: int = 3, now: float | None = None) -> entries.Entry:
    moment = (now or time.time()) - age_days * DAY
    return entries.Entry(minute=entries.minute(moment), kind="search", source="api", query=query, results=results)


def test_old_searches_are_deleted_on_write_at_most_once_an_hour(log_file):
    recorder = Recorder(log_file, retention=30)
    for item in (entry("ancienne", 31), entry("recente", 29), entry("du jour", 0)):
        recorder.add(item)
    recorder.flush()
    assert [row["query"] for row in rows(log_file)] == ["recente", "du jour"]
    recorder.add(entry("ancienne bis", 40))  # the next retention pass is an hour away
    recorder.flush()
    assert [row["query"] for row in rows(log_file)] == ["recente", "du jour", "ancienne bis"]
    recorder.close()
    figures = report.read(log_file, days=365)  # a report applies the server's retention first
    assert (figures["retention_days"], figures["forgotten"]) == (30, 1)
    assert [item["query"] for item in figures["top"]] == ["du jour", "recente"]
    assert [row["query"] for row in rows(log_file)] == ["recente", "du jour"]


def test_a_busy_log_keeps_its_rows_and_writes_them_soon_after(log_file):
    """Another process holding the file: the write gives up at once (the worker waits no longer),
    keeps the rows, and a timer writes them once the file is free: nothing is lost."""
    recorder = Recorder(log_file)
    recorder.add(entry("avant", 0))
    recorder.flush()
    holder = sqlite3.connect(log_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    recorder.add(entry("pendant", 0))
    started = time.monotonic()
    recorder.flush()
    assert time.monotonic() - started < 0.5
    assert [row["query"] for row in rows(log_file)] == ["avant"]
    holder.execute("COMMIT")
    holder.close()
    deadline = time.monotonic() + 10
    while len(rows(log_file)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [row["query"] for row in rows(log_file)] == ["avant", "pendant"]
    recorder.close()


def test_the_report_covers_the_days_asked(log_file):
    recorder = Recorder(log_file)
    for item in (entry("hier", 1), entry("il y a dix jours", 10), entry("aujourd'hui", 0, results=0)):
        recorder.add(item)
    recorder.close()
    week = report.read(log_file, days=7)
    assert (week["searches"], [item["query"] for item in week["top"]]) == (2, ["aujourd'hui", "hier"])
    assert [item["query"] for item in week["zero_results"]] == ["aujourd'hui"]
    assert report.read(log_file, days=30)["searches"] == 3


def test_purge_empties_the_log_and_leaves_no_query_in_its_files(client, log_file):
    for query in ("confidentiel-alpha", "confidentiel-beta", "phare"):
        get(client, f"/api/search?q={query}")
    client.application.extensions[RECORDER].close()
    done = report_cli("--purge", "--index", "/nulle-part", EIG_SEARCH_QUERY_LOG=str(log_file))
    assert (done.exit_code, done.output) == (0, f"Journal des recherches vidé : 3 recherche(s) effacée(s) ({log_file})\n")
    assert report.read(log_file)["searches"] == 0
    stored = b"".join(path.read_bytes() for path in log_file.parent.glob("queries.sqlite3*"))
    assert b"confidentiel" not in stored
    done = report_cli("--purge", "--json", EIG_SEARCH_QUERY_LOG=str(log_file))
    assert json.loads(done.stdout) == {"log": str(log_file), "purged": 0}


# -- the report ----------------------------------------------------------------------------------------

def test_report_json_has_every_section(client, log_file, corpus_index):
    for target in ("/api/search?q=Phare", "/recherche?q=phare&kind=d%C3%A9fi", "/api/search?q=xyzzyq",
                   "/recherche?q=Xyzzyq", "/api/search?q=donnes"):
        get(client, target)
    done = report_cli("--index", corpus_index, "--json", "--days", "7", EIG_SEARCH_QUERY_LOG=str(log_file))
    assert done.exit_code == 0, done.output
    figures = json.loads(done.stdout)
    assert set(figures) == {"log", "days", "since", "retention_days", "forgotten", "searches", "similar", "top",
                            "zero_results", "corrected", "filters", "slowest"}
    assert (figures["searches"], figures["days"], figures["retention_days"]) == (5, 7, 180)
    assert figures["top"][0] == {"query": "phare", "count": 2, "average_results": 1.0}
    zero, = figures["zero_results"]
    assert (zero["query"], zero["count"], zero["suggestion"]) == ("xyzzyq", 2, None)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", zero["last_seen"])
    assert figures["corrected"][0]["corrections"] == {"donnes": "donnees"}
    assert figures["filters"] == [{"facet": "kind", "value": "défi", "count": 1}]
    assert len(figures["slowest"]) == 5 and figures["slowest"][0]["ms"] >= figures["slowest"][-1]["ms"]


def test_report_text_is_french_tables(client, log_file, corpus_index):
    for target in ("/api/search?q=phare", "/api/search?q=phare", "/api/search?q=xyzzyq"):
        get(client, target)
    done = report_cli("--index", corpus_index, EIG_SEARCH_QUERY_LOG=str(log_file))
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0] == f"Journal des recherches : {log_file}"
    assert lines[2] == "Recherches : 3 ; projets similaires : 0"
    top = lines.index("Recherches les plus fréquentes :")
    assert lines[top + 1:top + 4] == ["  requête  nombre  résultats en moyenne",
                                      "  phare         2                   1,0",
                                      "  xyzzyq        1                   0,0"]
    for heading in ("Recherches sans résultat :", "Recherches corrigées ou élargies le plus souvent :",
                    "Filtres les plus utilisés :", "Recherches les plus lentes :"):
        assert heading in lines


def test_try_synonym_says_what_a_group_would_have_found(client, log_file, corpus_index):
    get(client, "/api/search?q=xyzzyq")
    done = report_cli("--index", corpus_index, "--json", "--try-synonym", "xyzzyq, phare",
                      "--try-synonym", "xyzzyq, plugh", EIG_SEARCH_QUERY_LOG=str(log_file))
    assert done.exit_code == 0, done.output
    figures = json.loads(done.stdout)
    assert figures["synonym_groups"] == [["xyzzyq", "phare"], ["xyzzyq", "plugh"]]
    assert figures["zero_results"][0] == {
        "query": "xyzzyq", "count": 1, "last_seen": figures["zero_results"][0]["last_seen"], "suggestion": None,
        "results_now": 0, "with_synonyms": [{"group": ["xyzzyq", "phare"], "results": 1},
                                            {"group": ["xyzzyq", "plugh"], "results": 0}]}
    text = report_cli("--index", corpus_index, "--try-synonym", "xyzzyq, phare", EIG_SEARCH_QUERY_LOG=str(log_file))
    header = next(line for line in text.output.splitlines() if line.startswith("  requête  nombre  dernière"))
    assert header.endswith("aujourd'hui  avec « xyzzyq, phare »")


def test_a_synonym_group_needs_two_entries(corpus_index):
    done = report_cli("--index", corpus_index, "--try-synonym", "seul")
    assert done.exit_code == 2
    assert done.output.splitlines()[-1] == ("Erreur : valeur refusée pour --try-synonym : « seul » : un groupe de "
                                            "synonymes compte au moins deux mots ou expressions séparés par des virgules")


def test_a_report_without_a_log_is_empty_and_creates_nothing(tmp_path):
    done = report_cli("--index", tmp_path, "--json")
    figures = json.loads(done.stdout)
    assert (figures["searches"], figures["top"], figures["zero_results"]) == (0, [], [])
    assert list(tmp_path.iterdir()) == []
