"""A synthetic site shaped like the State's public digital projects site of issue 19: its
collections under ``collections_dir: content``, its pages in an ``include``d ``_pages``, people
in an ``output: false`` collection, a ``search:`` section with two list facets, and folders
Jekyll never reads (``node_modules``, excluded images) full of files.
"""

import random
from pathlib import Path

THEMES = ("Santé", "Emploi", "Environnement", "Éducation", "Justice", "Logement", "Transports", "Agriculture")
USERS = ("Particuliers", "Entreprises", "Collectivités", "Agents publics")
INCUBATORS = ("dinum", "mtes", "sgmas", "anct", "pole-emploi")
WORDS = ("données", "service", "public", "usagers", "plateforme", "démarche", "simplifier", "outil",
         "agents", "territoires", "aides", "numérique", "accompagner", "dossier", "suivi", "carte")
#: Words of each theme's pages: pages of a theme are closer to each other than to the rest.
THEME_WORDS = {
    "Santé": ("hôpital", "patients", "médecins", "vaccination", "soins"),
    "Emploi": ("chômage", "recrutement", "formation", "embauche", "salariés"),
    "Environnement": ("biodiversité", "pollution", "climat", "déchets", "forêts"),
    "Éducation": ("élèves", "enseignants", "collèges", "examens", "cantines"),
    "Justice": ("tribunaux", "greffes", "détenus", "avocats", "audiences"),
    "Logement": ("locataires", "loyers", "bailleurs", "hébergement", "copropriétés"),
    "Transports": ("trains", "covoiturage", "vélos", "autoroutes", "permis"),
    "Agriculture": ("exploitants", "récoltes", "élevage", "parcelles", "semences"),
}

CONFIG = """\
title: Produits numériques
url: https://produits.exemple.gouv.fr
collections_dir: content
include: [_pages]
exclude: [assets/images, README.md]
permalink: /blog/:year/:title.html
collections:
  startups:
    output: true
    permalink: /startups/:title.html
  incubators:
    output: true
    permalink: /incubateurs/:name/
  people:
    output: false
defaults:
  - scope: {path: "", type: startups}
    values: {layout: startup}
  - scope: {path: "content/_incubators"}
    values: {usertypes: [Agents publics]}
search:
  facets:
    - {field: thematiques, label: Thématiques}
    - {field: usertypes, label: Publics}
  kinds:
    startups: {singular: startup, plural: startups}
    incubators: {singular: incubateur, plural: incubateurs}
"""


def _text(rng: random.Random, words: int = 40, themes=()) -> str:
    vocabulary = WORDS + tuple(word for theme in themes for word in THEME_WORDS[theme]) * 3
    return " ".join(rng.choice(vocabulary) for _ in range(words)) + "."


def startup_site(root: Path, startups: int = 40, people: int = 60, noise: int = 0, seed: int = 1) -> Path:
    """Write the site under ``root``; ``noise``: files in folders Jekyll does not read."""
    rng = random.Random(seed)
    files = {"_config.yml": CONFIG,
             "index.html": "---\nlayout: home\n---\n<h1>Produits numériques de l'État</h1>\n",
             "README.md": "---\ntitle: Lisez-moi\n---\nExclu par exclude.\n",
             "_pages/a-propos.md": "---\ntitle: À propos\npermalink: /a-propos/\n---\nQui fait ces services.\n",
             "_pages/contact.md": "---\ntitle: Contact\n---\nÉcrivez-nous.\n",
             "_layouts/startup.html": "---\nlayout: default\n---\n{{ content }}\n",
             "content/_posts/2021-03-04-lancement.md": "---\ntitle: Lancement\n---\nUn nouveau service public.\n"}
    for number in range(startups):
        themes = rng.sample(THEMES, rng.randint(1, 3))
        users = rng.sample(USERS, rng.randint(1, 2))
        files[f"content/_startups/startup-{number:04d}.md"] = (
            f"---\ntitle: Service {number}\nmission: Simplifier la démarche {number}\n"
            f"thematiques: [{', '.join(themes)}]\nusertypes: [{', '.join(users)}]\n"
            f"incubator: {rng.choice(INCUBATORS)}\nsponsors: [/organisations/dinum]\n---\n"
            f"## Le problème\n{_text(rng, themes=themes)}\n\n## La solution\n{_text(rng, themes=themes)}\n")
    for name in INCUBATORS:
        files[f"content/_incubators/{name}.md"] = f"---\ntitle: Incubateur {name}\n---\n{_text(rng, 20)}\n"
    for number in range(people):
        files[f"content/_people/personne-{number:04d}.md"] = (
            f"---\ntitle: Personne {number}\nrole: Développeuse\n---\n{_text(rng, 10)}\n")
    for number in range(noise):
        files[f"node_modules/paquet-{number // 100}/doc-{number}.md"] = "---\ntitle: Paquet\n---\nPas une page.\n"
        files[f"assets/images/image-{number}.svg"] = "<svg/>"
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root
