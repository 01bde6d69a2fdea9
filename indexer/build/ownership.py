"""An index belongs to the site it was built from.

Each generation's manifest records the site's folder (resolved, absolute). Without ``--site``,
``index``, ``update`` and ``serve --build-if-missing`` read that site again, so a forgotten
option cannot replace an index of the real site with the sample corpus; ``update --site`` naming
another folder is refused and leaves the index as it was. Switching an index to another site
takes an explicit ``index --site``.
"""

import os
from pathlib import Path

from indexer.errors import IndexDamaged, SiteMismatch
from indexer.store.generations import IndexStore


def site_to_read(index_folder, given, default) -> Path:
    """The site a command reads: ``given`` (``--site``) if any, else the one the index was built
    from, else ``default`` when there is no index yet."""
    if given is not None:
        return Path(given)
    store = IndexStore(index_folder)
    try:
        name = store.current_name()
        if not name:
            return Path(default)
        recorded = recorded_site(store, name)
    except IndexDamaged as error:
        raise SiteMismatch(f"{error} ; il ne dit plus de quel site il vient : précisez --site") from None
    if not recorded.is_dir():
        raise SiteMismatch(
            f"{store.folder} : cet index a été construit depuis le site {recorded}, qui n'existe plus "
            "(déplacé ou supprimé ?) : reconstruisez l'index depuis son nouvel emplacement avec "
            f"`eig-search index --site DOSSIER --index {store.folder}`")
    return recorded


def ensure_same_site(store: IndexStore, root: Path) -> None:
    """Refuse to update the current generation from another site than the one it was built from.

    A generation whose manifest cannot be read says no site: ``update`` rebuilds it whole, from
    the site it is given, as any damaged generation.
    """
    try:
        name = store.current_name()
        if not name:
            return
        recorded = recorded_site(store, name)
    except IndexDamaged:
        return
    if same_folder(recorded, root):
        return
    if not recorded.is_dir():
        raise SiteMismatch(
            f"{store.folder} : cet index a été construit depuis le site {recorded}, qui n'existe plus "
            f"(déplacé ou supprimé ?) ; rien n'a été modifié. S'il a été déplacé vers {root}, reconstruisez "
            f"l'index : `eig-search index --site {root} --index {store.folder}`")
    raise SiteMismatch(
        f"{store.folder} : cet index est celui du site {recorded}, pas de {root} ; rien n'a été modifié. "
        f"Pour mettre à jour l'index, omettez --site ; pour y indexer {root} à la place, "
        f"`eig-search index --site {root} --index {store.folder}`")


def recorded_site(store: IndexStore, name: str) -> Path:
    """The site folder the manifest of generation ``name`` names."""
    site = store.manifest(name).get("site")
    if not site:
        raise SiteMismatch(f"{store.folder} : l'index ne dit pas de quel site il vient : reconstruisez-le avec "
                           f"`eig-search index --site DOSSIER --index {store.folder}`")
    return Path(site)


def same_folder(recorded: Path, root: Path) -> bool:
    """The same folder, under the same resolved path or, through a bind mount, another one."""
    if recorded == root.resolve():
        return True
    try:
        return os.path.samefile(recorded, root)
    except OSError:  # one of them does not exist
        return False


def search_file_to_read(index_folder, given):
    """The ``--config`` file an update reads: ``given`` if any, else the one the index was built
    with (an update must not drop the facets a maintainer gave), else none."""
    if given is not None:
        return Path(given)
    store = IndexStore(index_folder)
    try:
        name = store.current_name()
        recorded = (store.manifest(name).get("search") or {}).get("file") if name else None
    except IndexDamaged:  # update rebuilds a damaged index from what it is given
        return None
    if recorded and not Path(recorded).is_file():
        raise SiteMismatch(f"{store.folder} : cet index a été construit avec la configuration de recherche "
                           f"{recorded}, qui n'existe plus : redonnez-la avec --config FICHIER, ou reconstruisez "
                           f"l'index sans elle (`eig-search index --index {store.folder}`)")
    return Path(recorded) if recorded else None
