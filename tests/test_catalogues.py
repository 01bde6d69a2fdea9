"""The interface's message catalogues are up to date: every message the code and templates use has
an English translation (neither missing nor fuzzy), placeholders match, and the committed ``.mo``
files are the compiled ``.po`` — so nothing is built when the server starts.

The messages are extracted afresh into a temporary folder with the project's ``babel.cfg``, as
``make translations`` does; when a test here fails, run ``make translations`` and translate what
``searchweb/translations/en/LC_MESSAGES/messages.po`` lacks.
"""

import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import PROJECT

TRANSLATIONS = PROJECT / "searchweb" / "translations"
LANGUAGES = ("en", "fr")  # fr: the source language, whose catalogue gives it its plural rule
ADVICE = "lancez `make translations` puis traduisez ce qui manque"


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code and templates use now (a fresh ``pybabel extract``)."""
    pot = tmp_path_factory.mktemp("catalogues") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(PROJECT / "babel.cfg"),
                                "-o", str(pot), str(PROJECT)])
    with open(pot, "rb") as template:
        return read_po(template)


def test_extraction_finds_the_messages_of_code_and_templates(extracted):
    files = {Path(location[0]).resolve().relative_to(PROJECT).as_posix()
             for message in extracted for location in message.locations}
    assert any(path.startswith("indexer/") for path in files)  # N_() of the indexer's visitor messages
    assert any(path.startswith("searchweb/templates/") for path in files)
    assert any(path.startswith("searchweb/") and path.endswith(".py") for path in files)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_exactly_the_messages_in_use(extracted, language):
    catalog = catalogue(language)
    assert sorted(ids(extracted) - ids(catalog), key=str) == [], f"messages absents du catalogue {language} : {ADVICE}"
    assert sorted(ids(catalog) - ids(extracted), key=str) == [], f"messages qui ne servent plus ({language}) : {ADVICE}"


def test_every_message_has_an_english_translation(extracted):
    catalog = catalogue("en")
    untranslated = [message.id for message in catalog if message.id and not (
        all(message.string) if isinstance(message.string, tuple) else message.string)]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert untranslated == [], f"messages sans traduction anglaise : {ADVICE}"
    assert fuzzy == [], "traductions approximatives (fuzzy) à revoir, puis retirer la marque"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue(language).check()]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_is_the_compiled_po(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    committed = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, f"messages.mo ({language}) ne correspond pas au .po : {ADVICE}"
