"""Shared fixtures: real indexes on disk, built once per test run in temporary folders."""

import shutil
from pathlib import Path

import pytest
from flask import Flask

from indexer.build.run import build
from indexer.search.engine import SearchEngine
from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE

from .handmade import built_index

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = PROJECT.parent / "shared"
SITE_EIG = SHARED / "corpora" / "site-eig"
NUMERIQUE = SHARED / "corpora" / "numerique-actualites"
DEV_QUERIES = SHARED / "eval" / "dev-queries.yaml"


def require(path: Path) -> Path:
    """Skip the test cleanly when a folder of ../shared is not there."""
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of the shipped corpus, built once (read-only for tests)."""
    folder = tmp_path_factory.mktemp("corpus-index")
    build(CORPUS, folder)
    return folder


@pytest.fixture(scope="session")
def corpus_engine(corpus_index) -> SearchEngine:
    engine = SearchEngine(corpus_index)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def site_eig_index(tmp_path_factory) -> Path:
    """An index of the real programme site from ../shared (skipped when absent)."""
    require(SITE_EIG)
    folder = tmp_path_factory.mktemp("site-eig-index")
    build(SITE_EIG, folder)
    return folder


@pytest.fixture(scope="session")
def site_eig_engine(site_eig_index) -> SearchEngine:
    engine = SearchEngine(site_eig_index)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def handmade_index(request, tmp_path_factory) -> Path:
    """The index of the test module's hand-made ``SITE`` (``{path: text}``, :mod:`tests.handmade`)."""
    return built_index(tmp_path_factory, request.module.SITE, request.module.__name__.rpartition(".")[2])


@pytest.fixture(scope="module")
def handmade_engine(handmade_index) -> SearchEngine:
    engine = SearchEngine(handmade_index)
    yield engine
    engine.close()


@pytest.fixture
def open_engine():
    """Open search engines for a test and close them (their index files) afterwards."""
    engines = []

    def open_(folder) -> SearchEngine:
        engines.append(SearchEngine(folder))
        return engines[-1]
    yield open_
    for engine in engines:
        engine.close()


@pytest.fixture
def make_app():
    """Build Flask apps for a test and close their engines (their index files) afterwards."""
    apps = []

    def make(config: dict) -> Flask:
        apps.append(create_app(config))
        return apps[-1]
    yield make
    for app in apps:
        app.extensions[ENGINE].close()


@pytest.fixture
def make_site(tmp_path):
    """Write a small site from a ``{relative path: text}`` mapping and return its root."""
    def make(files: dict[str, str | bytes], name: str = "site") -> Path:
        root = tmp_path / name
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8")
        return root
    return make


@pytest.fixture
def copy_site(tmp_path):
    """A writable copy of a site folder (for update tests)."""
    def copy(source: Path) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target, symlinks=True)
        return target
    return copy
