"""The indexer reads what Jekyll reads: one small site per behaviour of Jekyll's documentation
(collections_dir, include and exclude, defaults by path and type, collection permalinks, output:
false collections), and it says so when a site's settings make it read almost nothing.
"""

import os

import pytest

from indexer.build.loading import Site
from indexer.build.run import build, check
from indexer.site.documents import Draft, StaticFile, read_document

PAGE = "---\ntitle: {title}\n---\nTexte de la page {title}.\n"


def documents(root) -> dict:
    """``{path: Document}`` of the pages of a site, as the indexer reads them."""
    site = Site(root)
    found = {}
    for source in site.sources:
        try:
            found[source.relative_path] = read_document(site.root, source, site.config, site.data)
        except (Draft, StaticFile):
            continue
    return found


def urls(root) -> dict[str, str]:
    return {path: document.url for path, document in documents(root).items()}


# -- collections_dir ----------------------------------------------------------------------------

def test_collections_dir_holds_the_collections_posts_and_drafts(make_site):
    """Jekyll reads ``my_collections/_books``, and then ``_posts`` and ``_drafts`` only inside it."""
    root = make_site({
        "_config.yml": "collections_dir: contenu\ncollections:\n  projets:\n    output: true\n"
                       "permalink: /blog/:categories/:title:output_ext\n",
        "contenu/_projets/carte.md": PAGE.format(title="Carte"),
        "contenu/_projets/outils/tableur.md": PAGE.format(title="Tableur"),
        "contenu/_posts/2021-01-02-lancement.md": PAGE.format(title="Lancement"),
        "contenu/en/_posts/2021-02-03-launch.md": PAGE.format(title="Launch"),
        "contenu/_drafts/idee.md": PAGE.format(title="Idée"),
        "contenu/presentation.md": PAGE.format(title="Présentation"),  # a page of the folder
        "_posts/2020-01-01-hors-collections.md": PAGE.format(title="Hors"),  # outside: not read
        "_projets/ancien.md": PAGE.format(title="Ancien"),  # not the collection's folder
    })
    assert urls(root) == {
        "contenu/_projets/carte.md": "/projets/carte.html",
        "contenu/_projets/outils/tableur.md": "/projets/outils/tableur.html",
        "contenu/_posts/2021-01-02-lancement.md": "/blog/lancement.html",
        "contenu/en/_posts/2021-02-03-launch.md": "/blog/en/launch.html",
        "contenu/presentation.md": "/contenu/presentation.html",
    }
    report = check(root)
    assert report.drafts == ["contenu/_drafts/idee.md"]
    assert report.kinds == {"projets": 2, "article": 2, "page": 1}


def test_a_declared_collection_without_its_folder_is_reported_with_where_it_is(make_site):
    root = make_site({
        "_config.yml": "collections:\n  projets:\n    output: true\n",
        "contenu/_projets/carte.md": PAGE.format(title="Carte"),
        "index.md": PAGE.format(title="Accueil"),
    })
    report = check(root)
    assert [(p.path, p.reason) for p in report.skipped] == [(
        "_config.yml", "collection projets déclarée, mais son dossier _projets n'existe pas : aucune de ses pages "
                       "n'est lue (il y a contenu/_projets : collections_dir ?)")]


# -- include and exclude ------------------------------------------------------------------------

def test_include_makes_an_underscore_folder_and_a_hidden_file_part_of_the_site(make_site):
    root = make_site({
        "_config.yml": "include: [_pages, .bienvenue.md, node_modules/guide/lisez-moi.md]\n",
        "_pages/a-propos.md": "---\ntitle: À propos\npermalink: /a-propos/\n---\nQui sommes-nous.\n",
        "_pages/contact.md": PAGE.format(title="Contact"),
        "_autres/cache.md": PAGE.format(title="Caché"),
        ".bienvenue.md": PAGE.format(title="Bienvenue"),
        ".secret.md": PAGE.format(title="Secret"),
        "#sauvegarde.md": PAGE.format(title="Sauvegarde"),
        "node_modules/guide/lisez-moi.md": PAGE.format(title="Lisez-moi"),
        "node_modules/guide/autre.md": PAGE.format(title="Autre"),
    })
    assert urls(root) == {
        "_pages/a-propos.md": "/a-propos/",
        "_pages/contact.md": "/_pages/contact.html",
        ".bienvenue.md": "/.bienvenue.html",
        "node_modules/guide/lisez-moi.md": "/node_modules/guide/lisez-moi.html",
    }


def test_exclude_leaves_out_folders_files_and_what_their_path_starts_with(make_site):
    """Jekyll compares the text of the paths: ``docs`` also leaves out ``docs-old``; its own
    exclusions (``node_modules``, ``vendor/bundle/``…) are always added to the site's."""
    root = make_site({
        "_config.yml": "exclude: [docs, README.md, '*.tmp.md', _posts/2020-01-02-retire.md]\n",
        "docs/guide.md": PAGE.format(title="Guide"),
        "docs-old/guide.md": PAGE.format(title="Vieux guide"),
        "README.md": PAGE.format(title="Lisez-moi"),
        "brouillon.tmp.md": PAGE.format(title="Temporaire"),
        "vendor/bundle/gems/doc.md": PAGE.format(title="Gem"),
        "vendor/pages/outil.md": PAGE.format(title="Outil"),  # vendor/ itself is not excluded
        "_posts/2020-01-01-garde.md": PAGE.format(title="Gardé"),
        "_posts/2020-01-02-retire.md": PAGE.format(title="Retiré"),
        "garde.md": PAGE.format(title="Gardée"),
    })
    assert sorted(urls(root)) == ["_posts/2020-01-01-garde.md", "garde.md", "vendor/pages/outil.md"]


def test_excluded_folders_are_never_walked(make_site):
    """A name that is not UTF-8 and a folder symlink inside ``node_modules``, ``gemfiles`` (Jekyll's
    own exclusions) or an excluded folder would be reported if the walk went in: it never does."""
    root = make_site({"_config.yml": "exclude: [assets/images]\n", "index.md": PAGE.format(title="Accueil"),
                      "node_modules/paquet/doc.md": PAGE.format(title="Paquet")})
    for folder in ("node_modules/paquet", "gemfiles", "assets/images", ".git"):
        os.makedirs(root / folder, exist_ok=True)
        with open(os.path.join(os.fsencode(root / folder), b"caf\xe9.md"), "w") as page:
            page.write(PAGE.format(title="Café"))
        os.symlink("/etc", root / folder / "etc")
    report = check(root)
    assert (report.skipped, report.kinds) == ([], {"page": 1})


# -- defaults -----------------------------------------------------------------------------------

def test_defaults_by_path_inside_collections_dir_by_pattern_and_by_type(make_site):
    root = make_site({
        "_config.yml": (
            "collections_dir: contenu\ncollections:\n  projets:\n    output: true\n"
            "defaults:\n"
            "  - {scope: {path: ''}, values: {author: Tous}}\n"
            "  - {scope: {path: contenu/_projets}, values: {author: Équipe projets}}\n"  # collections_dir/ taken off
            "  - {scope: {path: _projets/archives}, values: {author: Archives}}\n"
            "  - {scope: {path: 'rubriques/*/fiche.md'}, values: {author: Fiches}}\n"
            "  - {scope: {path: '', type: posts}, values: {categories: [blog]}}\n"
            "  - {scope: {path: '', type: page}, values: {tags: [page fixe]}}\n"  # Jekyll 2's singular
            "  - {scope: {path: '', type: projets}, values: {tags: [projet]}}\n"),
        "contenu/_projets/carte.md": PAGE.format(title="Carte"),
        "contenu/_projets/archives/vieux.md": PAGE.format(title="Vieux"),
        "contenu/_posts/2021-01-01-billet.md": PAGE.format(title="Billet"),
        "rubriques/sante/fiche.md": PAGE.format(title="Fiche"),
        "rubriques/sante/autre.md": PAGE.format(title="Autre"),
    })
    found = {path: (doc.meta["author"], doc.meta.get("tags"), doc.meta.get("categories"))
             for path, doc in documents(root).items()}
    assert found == {
        "contenu/_projets/carte.md": ("Équipe projets", ["projet"], None),
        "contenu/_projets/archives/vieux.md": ("Archives", ["projet"], None),
        "contenu/_posts/2021-01-01-billet.md": ("Tous", None, ["blog"]),
        "rubriques/sante/fiche.md": ("Fiches", ["page fixe"], None),
        "rubriques/sante/autre.md": ("Tous", ["page fixe"], None),
    }


# -- permalinks of collections ------------------------------------------------------------------

def test_collection_permalink_placeholders(make_site):
    """``:title`` is the file's slug (date taken off, case kept) or the front matter's ``slug``;
    ``:name`` the slugified file name; ``:path`` the path inside the collection's folder."""
    root = make_site({
        "_config.yml": "collections_dir: c\ncollections:\n"
                       "  a:\n    output: true\n    permalink: /a/:title:output_ext\n"
                       "  b:\n    output: true\n    permalink: /:collection/:name/\n"
                       "  d:\n    output: true\n    permalink: /fiches/:path/\n",
        "c/_a/2019-05-06-Mon-Projet.md": PAGE.format(title="Projet"),
        "c/_a/autre.md": "---\ntitle: Autre\nslug: Nom-Choisi\n---\nTexte.\n",
        "c/_b/2019-05-06-Mon Projet.md": PAGE.format(title="Projet B"),
        "c/_d/region/ville.md": PAGE.format(title="Ville"),
    })
    assert urls(root) == {
        "c/_a/2019-05-06-Mon-Projet.md": "/a/Mon-Projet.html",
        "c/_a/autre.md": "/a/Nom-Choisi.html",
        "c/_b/2019-05-06-Mon Projet.md": "/b/2019-05-06-mon-projet/",
        "c/_d/region/ville.md": "/fiches/region/ville/",
    }


# -- what is a page -----------------------------------------------------------------------------

def test_front_matter_makes_a_page_even_empty_and_a_collection_file_without_it_is_static(make_site):
    root = make_site({
        "_config.yml": "collections:\n  projets:\n    output: true\n",
        "vide.html": "---\n---\n<h1>Une page sans réglage</h1>\n",
        "statique.html": "<h1>Copié tel quel</h1>\n",
        "_projets/notice.md": "Pas de front matter : un fichier statique de la collection.\n",
        "_projets/carte.md": PAGE.format(title="Carte"),
        "_posts/2020-01-01-sans-entete.md": "Un article sans front matter est un article.\n",
    })
    assert sorted(urls(root)) == ["_posts/2020-01-01-sans-entete.md", "_projets/carte.md", "vide.html"]


def test_an_output_false_collection_is_listed_not_indexed(make_site, tmp_path):
    root = make_site({
        "_config.yml": "collections:\n  projets:\n    output: true\n  personnes:\n    output: false\n"
                       "search:\n  projects: [personnes]\n",
        "_projets/carte.md": PAGE.format(title="Carte"),
        **{f"_personnes/p{n}.md": PAGE.format(title=f"P{n}") for n in range(3)},
        "_personnes/photo.md": "Pas de front matter.\n",
    })
    report = build(root, tmp_path / "index")
    assert report.kinds == {"projets": 1}
    assert "collection personnes (output: false) : 3 fichiers que Jekyll lit sans en publier de page ; " \
           "pas d'adresse où les lier, non indexés" in report.notes
    assert ("_config.yml", "réglage search.projects : la collection personnes n'a pas de pages (output: false), "
                           "ignorée") in [(p.path, p.reason) for p in report.skipped]


# -- never silently read almost nothing ---------------------------------------------------------

def test_settings_that_change_what_jekyll_reads_are_reported(make_site):
    root = make_site({
        "_config.yml": "source: site\ndata_dir: donnees\nunpublished: true\nlimit_posts: 5\n"
                       "markdown_ext: md,txt\nplugins: [jekyll-feed, jekyll-polyglot]\n",
        "index.md": PAGE.format(title="Accueil"),
    })
    assert [p.reason for p in check(root).skipped] == [
        "réglage source « site » non suivi : Jekyll lit le site dans ce dossier, l'indexeur dans celui de --site "
        "(donnez-lui ce dossier-là)",
        "réglage data_dir « donnees » non suivi : l'indexeur lit les données de _data",
        "réglage unpublished non suivi : Jekyll publie aussi les pages « published: false », que l'indexeur "
        "compte comme brouillons",
        "réglage limit_posts non suivi : Jekyll ne publie que les 5 derniers articles, l'indexeur les lit tous",
        "réglage markdown_ext non suivi : les fichiers .txt ne sont pas lus (l'indexeur lit .markdown, .mkdown, "
        ".mkdn, .mkd, .md, .html et .htm)",
        "extension jekyll-polyglot non suivie : elle fait des pages que l'indexeur ne lit pas",
    ]


@pytest.mark.parametrize("command", ["check", "index"])
def test_a_site_where_most_files_are_no_pages_is_reported_with_why(make_site, tmp_path, command):
    """The issue's site read with a setting missing: its collections live in ``contenu/``."""
    root = make_site({
        "_config.yml": "collections:\n  projets:\n    output: true\n",
        **{f"contenu/_projets/p{n}.md": PAGE.format(title=f"P{n}") for n in range(4)},
        "_pages/contact.md": PAGE.format(title="Contact"),
        "_posts/_2020-01-01-brouillon.md": PAGE.format(title="Brouillon"),
        "index.md": PAGE.format(title="Accueil"),
    })
    report = check(root) if command == "check" else build(root, tmp_path / "index")
    assert [(p.path, p.reason) for p in report.warnings] == [(
        "site", "seulement 1 page sur 7 fichiers à front matter : 1 dans _pages (Jekyll ne lit pas un dossier « _ » "
                "qui n'est ni une collection déclarée ni nommé par include) ; 4 dans contenu/_projets (Jekyll lit la "
                "collection projets dans _projets : voyez collections_dir) ; 1 brouillon")]
