"""Fixtures of the reliability suite: generated sites indexed once per session, test clients,
and the ``stress`` marker.

The default part runs in ``make test`` (a 2,000-page site, light versions of the load and crash
tests). Tests marked ``stress`` (a 20,000-page site, thousands of requests, dozens of killed
indexers) are skipped unless ``EIG_STRESS=1``: ``make stress`` sets it and runs
``pytest tests/reliability -m stress``. Every test is bounded in time (:data:`TIME_BOUND`).
"""

import os
import shutil
import signal
import subprocess
import sys

import pytest

from searchweb import create_app
from searchweb.engine import EXTENSION as ENGINE

from .support import CORPUS, PROJECT, clean_env, run_cli

STRESS = os.environ.get("EIG_STRESS") == "1"
DEFAULT_DOCS = 2_000
STRESS_DOCS = 20_000
#: Pages of the site the crash tests copy, index and kill (over the indexer's pool threshold).
CRASH_DOCS_LIGHT = 300
#: Seconds a single test may take (fixtures built once per session not included).
TIME_BOUND = {"default": 120, "stress": 1_200}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "stress: heavy reliability test (20,000 pages, thousands of requests); "
                   "skipped unless EIG_STRESS=1, run by `make stress`")


def pytest_runtest_setup(item):
    if item.get_closest_marker("stress") and not STRESS:
        pytest.skip("test de charge : lancé par `make stress` (EIG_STRESS=1)")


@pytest.fixture(autouse=True)
def time_bound(request):
    """Fail a test that runs past its bound instead of letting it hang the run."""
    bound = TIME_BOUND["stress" if request.node.get_closest_marker("stress") else "default"]

    def expire(_signum, _frame):
        pytest.fail(f"test stopped after {bound} s (reliability time bound)", pytrace=False)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, bound)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# -- generated sites and their indexes (read-only: tests that write copy them) ----------------------

def _generate(folder, docs: int):
    subprocess.run([sys.executable, "-m", "bench.generate", "--docs", str(docs), "--out", str(folder)],
                   cwd=PROJECT, env=clean_env(), check=True, capture_output=True, timeout=900)
    return folder


def _index(site, folder):
    done = run_cli("index", "--site", site, "--index", folder, timeout=1_800)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder


@pytest.fixture(scope="session")
def site_2k(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("site-2k") / "site", DEFAULT_DOCS)


@pytest.fixture(scope="session")
def index_2k(site_2k, tmp_path_factory):
    return _index(site_2k, tmp_path_factory.mktemp("index-2k"))


@pytest.fixture(scope="session")
def site_20k(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("site-20k") / "site", STRESS_DOCS)


@pytest.fixture(scope="session")
def index_20k(site_20k, tmp_path_factory):
    return _index(site_20k, tmp_path_factory.mktemp("index-20k"))


@pytest.fixture(scope="session")
def crash_site(tmp_path_factory):
    """A generated site of a few hundred pages: big enough for the indexer's process pool."""
    return _generate(tmp_path_factory.mktemp("site-crash") / "site", CRASH_DOCS_LIGHT)


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of the shipped corpus."""
    return shutil.copytree(CORPUS, tmp_path / "corpus", symlinks=True)


# -- the app in-process ---------------------------------------------------------------------------

def _client(index):
    # Not TESTING: errors go through the app's own error boundary, as in production.
    app = create_app({"INDEX_DIR": str(index), "SITE_URL": "https://eig.exemple.gouv.fr"})
    yield app.test_client()
    app.extensions[ENGINE].close()


@pytest.fixture(scope="session")
def client_2k(index_2k):
    yield from _client(index_2k)


@pytest.fixture(scope="session")
def client_20k(index_20k):
    yield from _client(index_20k)
