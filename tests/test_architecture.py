"""The architecture holds: stages import only the stages below them, and serving a search loads
neither the site reader nor the builder nor the command line (README, « Architecture »)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

#: Modules a web worker must never load: the site reader's parsers, the builder, the CLI.
NOT_FOR_SERVING = ("bs4", "markdown_it", "tqdm", "indexer.site", "indexer.build", "indexer.cli",
                   "indexer.evaluation", "indexer.whoosh_io.segments", "indexer.whoosh_io.commit")


def test_import_contracts_are_kept():
    """`lint-imports` reads the contracts in pyproject.toml; a broken one names the import chain."""
    if not LINT_IMPORTS.exists():
        pytest.skip("lint-imports is not installed (pip install -e '.[test]')")
    run = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_serving_a_search_loads_no_reader_builder_or_cli(corpus_index):
    """A real app answering a search, similar projects and suggestions, in a fresh interpreter:
    the contracts see our imports; this sees what is really loaded, third-party chains included
    (click alone is loaded by Flask itself)."""
    script = f"""
import json, sys
from searchweb import create_app
client = create_app({{"INDEX_DIR": {str(corpus_index)!r}}}).test_client()
assert client.get("/api/search?q=donnees").status_code == 200
assert client.get("/recherche?q=donnees").status_code == 200
assert client.post("/api/similar", json={{"text": "données de santé"}}).status_code == 200
assert client.get("/api/suggest?q=don").status_code == 200
print(json.dumps(sorted(sys.modules)))
"""
    run = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout.splitlines()[-1])
    forbidden = [name for name in loaded if any(name == bad or name.startswith(bad + ".") for bad in NOT_FOR_SERVING)]
    assert forbidden == []
    assert "indexer.search.engine" in loaded and "whoosh" in loaded  # the check looked at a real search
