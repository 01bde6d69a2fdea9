"""The project itself, driven through its library API exactly as the CLI and the web app do."""

from indexer.build.run import build as project_build
from indexer.build.run import update as project_update
from indexer.search.engine import SearchEngine
from indexer.search.request import SearchRequest
from indexer.store.generations import IndexStore

from .measure import folder_size


def _summary(report) -> dict:
    return {"seconds": report.seconds, "documents": report.indexed, "added": report.added,
            "updated": report.updated, "deleted": report.deleted, "skipped": len(report.skipped),
            "generation": report.generation, "note": report.note}


def build(site_root, index_folder) -> dict:
    return _summary(project_build(site_root, index_folder))


def update(site_root, index_folder) -> dict:
    return _summary(project_update(site_root, index_folder))


def index_size(index_folder) -> int:
    """Bytes of the current generation (what a reader opens), manifest included."""
    store = IndexStore(index_folder)
    return folder_size(store.folder / store.current_name())


def opener(index_folder):
    def open_engine():
        engine = SearchEngine(index_folder, result_cache=0)  # every query computed: no cache hits

        def search(q: str, filters: dict):
            result = engine.search(SearchRequest(q=q, filters=filters))
            return result.total, result.hits, result.facets

        return search
    return open_engine
