"""Filters that work for an administration: a « Ministère » facet above « Administration », the
variants of a name counted as one value, every value of a facet given (no cap at 40), and the
administrations left without a ministry named by ``index`` (indexer/site/ministries.py)."""

import shutil

import pytest
from click.testing import CliRunner

from indexer.build.run import build, update
from indexer.cli import main
from indexer.fields import PROGRAMME_FACETS
from indexer.search.request import ANY_PAGE_SIZE, SearchRequest
from indexer.search.serialize import search_json
from indexer.site import ministries

CONFIG = "collections:\n  defis:\n    output: true\n    permalink: /defis/:year/:title.html\n"
INTERIOR = "Ministère de l’Intérieur"
GENDARMERIE = "Direction générale de la gendarmerie nationale (DGGN)"
#: slug → the fields of its _data entry: how the site writes each défi's administration.
DEFIS = {
    "brigade": f'administration: "{INTERIOR}, Direction générale de la gendarmerie nationale (DGGN)"',
    "recrues": "administration: Direction Générale de la Gendarmerie Nationale",
    "neotac": "administration: DGGN,",
    "planipref": "administration: Ministère de l'Intérieur",
    "phares": "administration: Agence des phares, Ministère de la Mer",
    "balises": "administration: Office des balises\n  administration_website: https://www.balises.interieur.gouv.fr/x",
    "signaux": "administration: Bureau des signaux\n  ministere: Ministère de la Défense",
    "dunes": "administration: Syndicat des dunes",
}


def site_files(defis: dict[str, str]) -> dict[str, str]:
    files = {"_config.yml": CONFIG, "_data/defis.yml": "".join(
        f"{slug}:\n  title: Défi {slug}\n  link_to: /defis/2019/{slug}.html\n  {fields}\n"
        for slug, fields in defis.items())}
    files.update({f"_defis/2019-01-01-{slug}.md": f"---\ntitle: Défi {slug}\n---\nUn projet sur {slug}.\n"
                  for slug in defis})
    return files


@pytest.fixture
def site(make_site):
    return make_site(site_files(DEFIS))


def counts(engine, facet: str, **filters) -> dict[str, int]:
    result = engine.search(SearchRequest(filters={name: [value] for name, value in filters.items()}))
    return {value.value: value.count for value in result.facets[facet]}


def paths(engine, **filters) -> set[str]:
    """The slugs of the pages found (``_defis/2019-01-01-brigade.md``: brigade)."""
    result = engine.search(SearchRequest(filters={name: [value] for name, value in filters.items()}, per_page=50))
    return {hit.path.rsplit("/", 1)[-1].split("-", 3)[-1].removesuffix(".md") for hit in result.hits}


def test_the_ministry_facet_comes_before_the_administration():
    names = [facet.name for facet in PROGRAMME_FACETS]
    assert names.index("ministere") == names.index("administration") - 1
    assert next(facet.label for facet in PROGRAMME_FACETS if facet.name == "ministere") == "Ministère"


def test_ministries_come_from_the_data_then_the_file_then_the_website(site, tmp_path, open_engine):
    build(site, tmp_path / "index")
    engine = open_engine(tmp_path / "index")
    assert counts(engine, "ministere") == {
        INTERIOR: 5,  # written (brigade, planipref), the file's (recrues, neotac), the website's (balises)
        "Ministère de la Mer": 1,  # written, though the file does not know it
        "Ministère des Armées": 1,  # the page's own field, under the name the file gives its variant
    }
    assert counts(engine, "administration") == {
        GENDARMERIE: 3, INTERIOR: 1, "Agence des phares": 1, "Office des balises": 1, "Bureau des signaux": 1,
        "Syndicat des dunes": 1}


def test_filtering_by_the_shown_value_finds_every_variant(site, tmp_path, open_engine):
    build(site, tmp_path / "index")
    engine = open_engine(tmp_path / "index")
    assert paths(engine, administration=GENDARMERIE) == {"brigade", "recrues", "neotac"}
    assert paths(engine, administration="direction generale de la GENDARMERIE nationale") == {
        "brigade", "recrues", "neotac"}  # case, accents and the final sigle never count
    assert paths(engine, ministere=INTERIOR) == {"brigade", "recrues", "neotac", "planipref", "balises"}
    assert paths(engine, ministere="Ministère de l'Intérieur") == paths(engine, ministere=INTERIOR)
    hit = engine.search(SearchRequest(q="brigade")).hits[0]
    assert (hit.facets["ministere"], hit.facets["administration"]) == ([INTERIOR], [GENDARMERIE])


@pytest.mark.parametrize("written, administrations, written_ministries", [
    ("Ministère de l’Intérieur et Agence nationale du traitement automatisé des infractions (ANTAI)",
     ["Agence nationale de traitement automatisé des infractions (ANTAI)"], [INTERIOR]),
    ("Services du Premier ministre, direction interministérielle du numérique et du système d’information et de "
     + "communication de l’État, Etalab",
     ["Direction interministérielle du numérique (DINUM)", "Etalab"], ["Services du Premier ministre"]),
    ("Ministère de l’Enseignement Supérieur, de la Recherche et de l’Innovation, Département des études",
     ["Département des études"], ["Ministère de l’Enseignement supérieur, de la Recherche et de l’Innovation"]),
    ("Commissariat Général au Développement Durable - Ministère de la Transition Écologique et Solidaire",
     ["Commissariat général au développement durable (CGDD)"], ["Ministère de la Transition écologique"]),
    ("Direction interministérielle du numérique (DINUM),",
     ["Direction interministérielle du numérique (DINUM)"], []),
    ("Programme Alpha - Programme interministériel de test", ["Programme Alpha - Programme interministériel de test"],
     []),  # no ministry written: one administration, dash and all
    ("MINISTERE DE LA CULTURE", ["Ministère de la Culture"], ["Ministère de la Culture"]),
])
def test_a_written_name_gives_its_administrations_and_the_ministry_it_writes(
        written, administrations, written_ministries):
    assert ministries.load().names(written) == (administrations, written_ministries)


def test_administrations_without_a_ministry_are_named_by_index(site, tmp_path):
    result = CliRunner().invoke(main, ["index", "--strict", "--site", str(site), "--index", str(tmp_path / "index")])
    assert result.exit_code == 0  # a note, not a problem
    output = result.output
    assert ("Administrations sans ministère (1) : Syndicat des dunes ; rangez-les dans "
            "indexer/site/data/ministeres.yml ou dans le _data/ministeres.yml du site") in output


def test_every_value_is_given_beyond_forty(make_site, tmp_path, open_engine):
    defis = {f"d{number:02}": f"administration: Agence numéro {number:02}" for number in range(45)}
    defis["d00"] = "administration: Agence numéro 01"  # one value on two pages comes first
    root = make_site(site_files(defis))
    build(root, tmp_path / "index")
    engine = open_engine(tmp_path / "index")
    result = engine.search(SearchRequest(filters={"kind": ["défi"], "administration": ["Agence numéro 44"]}))
    values = [(value.value, value.count, value.selected) for value in result.facets["administration"]]
    assert len(values) == 44  # every value, the selected one first, then by count and name
    assert values[:3] == [("Agence numéro 44", 1, True), ("Agence numéro 01", 2, False),
                          ("Agence numéro 02", 1, False)]
    assert values[-1] == ("Agence numéro 43", 1, False)
    assert len(search_json(result, "")["facets"]["administration"]) == 44


def test_a_change_of_either_mapping_file_is_taken_by_the_next_update(site, tmp_path, open_engine, monkeypatch):
    index = tmp_path / "index"
    build(site, index)
    (site / "_data" / "ministeres.yml").write_text(
        "ministeres:\n  Ministère de la Mer:\n    administrations:\n      Syndicat des dunes: [Dunes]\n", "utf-8")
    report = update(site, index)
    assert report.note == "_config.yml ou _data modifié : construction complète"
    assert counts(open_engine(index), "ministere")["Ministère de la Mer"] == 2
    maintained = tmp_path / "ministeres.yml"
    shutil.copy(ministries.MAPPING_FILE, maintained)
    with open(maintained, "a", encoding="utf-8") as file:
        file.write("  Ministère des Phares:\n    administrations:\n      Office des balises:\n")
    monkeypatch.setattr(ministries, "MAPPING_FILE", maintained)
    assert update(site, index).note == "_config.yml ou _data modifié : construction complète"
    assert paths(open_engine(index), ministere="Ministère des Phares") == {"balises"}  # the file beats the website
    assert update(site, index).note == "rien à mettre à jour"  # nothing changed since


def test_a_misshapen_site_file_is_reported_and_the_maintainers_file_kept(site, tmp_path):
    (site / "_data" / "ministeres.yml").write_text("ministeres: [Intérieur]\n", "utf-8")
    report = build(site, tmp_path / "index")
    assert [problem.reason for problem in report.skipped] == [
        "_data/ministeres.yml ignoré : il faut une liste « ministeres: » de ministères"]


def test_on_the_real_site_the_interior_ministry_gathers_its_services(site_eig_engine):
    interior = paths(site_eig_engine, kind="défi", ministere=INTERIOR)
    assert {"brigadenumerique", "recrues", "neotac", "iaflash", "planipref", "mi-matchid", "enki"} <= interior
    administrations = counts(site_eig_engine, "administration", kind="défi", ministere=INTERIOR)
    assert administrations[GENDARMERIE] == 3  # written four ways on the site
    stats = site_eig_engine.stats()["facets"]
    assert len(stats["administration"]) < 62 and len(stats["ministere"]) >= 10


def test_on_the_real_site_every_défi_administration_can_be_chosen(site_eig_engine):
    result = site_eig_engine.search(SearchRequest(filters={"kind": ["défi"]}, per_page=100, page_sizes=ANY_PAGE_SIZE))
    assert result.total == len(result.hits) == 71
    listed = {value.value for value in result.facets["administration"]}
    assert {name for hit in result.hits for name in hit.facets["administration"]} == listed and len(listed) > 40
    assert {"Agence nationale de traitement automatisé des infractions (ANTAI)", GENDARMERIE} <= listed



def test_a_site_without_the_ministry_facet_keeps_its_names_whole(make_site, tmp_path, open_engine):
    files = site_files({"phares": "administration: Agence des phares, Ministère de la Mer",
                        "dunes": "administration: Gendarmerie nationale"})
    files["_config.yml"] = CONFIG + "search:\n  facets: [kind, administration]\n"
    build(make_site(files), tmp_path / "index")
    engine = open_engine(tmp_path / "index")
    assert engine.settings().names == ("kind", "administration", "collection")
    assert counts(engine, "administration") == {"Agence des phares, Ministère de la Mer": 1, GENDARMERIE: 1}
