"""State saved with a generation by an older version of the program never breaks ``update``.

``data.pickle`` (the parsed ``_data``, reused while ``_config.yml`` and ``_data`` are unchanged)
was pickled with classes under the module paths of that version: ``indexer.datafiles.DataIndex``
before the stages became packages. Loading it now raises ``ModuleNotFoundError``: an index
published before the move is rebuilt (another schema version), and a cache that cannot be loaded
is no cache (``_data`` is read again).
"""

import hashlib
import json
import pickle
import sys
import types

from indexer.build.run import build
from indexer.store.generations import IndexStore

from .support import run_cli

POST = "---\ntitle: {title}\n---\n{body}\n"
#: The schema version of indexes published before ``indexer/`` became one package per stage.
PUBLISHED_BEFORE_THE_MOVE = 9


def make_site(root):
    for relative, text in {
        "_posts/2020-01-01-phares.md": POST.format(title="Phares", body="Les phares guident les navires."),
        "_posts/2020-01-02-balises.md": POST.format(title="Balises", body="Les balises signalent les dangers."),
        "_data/pages.yml": "- link_to: /2020/01/02/balises.html\n  promotion: 9\n",
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, "utf-8")
    return root


def old_data_cache(signature: str) -> bytes:
    """``data.pickle`` as the version before the move wrote it: its ``DataIndex`` class then lived
    in ``indexer.datafiles``, a module that no longer exists."""
    module = types.ModuleType("indexer.datafiles")
    exec("class DataIndex:\n    pass\n", module.__dict__)  # noqa: S102 - a class under the old module path
    sys.modules[module.__name__] = module
    try:
        return pickle.dumps((signature, module.DataIndex(), []), pickle.HIGHEST_PROTOCOL)
    finally:
        del sys.modules[module.__name__]


def publish_old_cache(index, schema_version=None) -> None:
    """Put the old ``data.pickle`` in the current generation, its checksum in the manifest, as
    that version published it (an intact generation, not a damaged one)."""
    store = IndexStore(index)
    folder = index / store.current_name()
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    cache = old_data_cache(manifest["settings"])
    (folder / "data.pickle").unlink()
    (folder / "data.pickle").write_bytes(cache)
    manifest["files"]["data.pickle"] = [len(cache), hashlib.sha256(cache).hexdigest()]
    if schema_version is not None:
        manifest["schema_version"] = schema_version
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def stored_meta(index, path: str) -> dict:
    _name, whoosh_index = IndexStore(index).open()
    with whoosh_index.searcher() as searcher:
        return searcher.document(path=path)["record"]["meta"]


def test_an_index_published_before_the_move_is_rebuilt_by_update(tmp_path):
    site, index = make_site(tmp_path / "site"), tmp_path / "index"
    build(site, index)
    publish_old_cache(index, schema_version=PUBLISHED_BEFORE_THE_MOVE)
    done = run_cli("update", "--site", site, "--index", index)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "format d'index modifié : construction complète" in done.stderr
    assert stored_meta(index, "_posts/2020-01-02-balises.md")["promotion"] == 9


def test_a_data_cache_that_cannot_be_loaded_is_read_again(tmp_path):
    site, index = make_site(tmp_path / "site"), tmp_path / "index"
    build(site, index)
    publish_old_cache(index)
    (site / "_posts/2020-01-02-balises.md").write_text(POST.format(title="Balises", body="Des bouées."), "utf-8")
    done = run_cli("update", "--site", site, "--index", index)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "modifiés 1" in done.stderr
    assert stored_meta(index, "_posts/2020-01-02-balises.md")["promotion"] == 9  # _data read again
