"""The fixed queries of the benchmark: French words and phrases of the programme's own site.

Every engine runs exactly these, in this order. ``FILTERS`` are the facet filters of the faceted
runs (display values, as a visitor would click them); query *i* uses ``FILTERS[i % len(FILTERS)]``.
"""

QUERIES = (
    "données",
    "open data",
    "intelligence artificielle",
    "sécurité routière",
    "santé",
    "algorithme",
    "design",
    "accompagnement",
    "logiciel libre",
    "datascience",
    "transformation numérique",
    "administration",
    "agriculture biologique",
    "justice",
    "fraude fiscale",
    "cartographie",
    "impact",
    "recrutement",
    "mentors",
    "bootcamp",
    "pérennisation",
    "collectivités territoriales",
    "environnement",
    "éducation nationale",
    "culture",
    "apprentissage automatique",
    "API",
    "développeur",
    "prévention",
    "Etalab",
    "territoires",
    "affaires maritimes",
    "pompiers",
    "médicaments",
    "citoyens",
    "service public",
    "utilisateurs",
    "expérimentation",
    "entrepreneurs d'intérêt général",
    "visualisation de données",
)

FILTERS = (
    {"kind": ["défi"]},
    {"kind": ["article"]},
    {"year": ["2019"]},
    {"kind": ["défi"], "promotion": ["3"]},
    {"language": ["fr"]},
    {"kind": ["article"], "tags": ["méthode"]},
    {"kind": ["défi"], "year": ["2020"]},
    {"kind": ["personne"]},
)


def filters_for(number: int) -> dict[str, list[str]]:
    """The facet filters of the faceted run of query ``number``."""
    return FILTERS[number % len(FILTERS)]
