"""Body text: what a visitor reads, without templating, markup, scripts or comments."""

from indexer.site.textextract import extract, strip_templating

MARKDOWN = """\
Intro avec un [lien vers le site](https://exemple.fr){: target="_blank"} et {{ site.baseurl }}.

{% include video.html id="abc" %}

## La problématique

> Une citation utile.
{: .citation}

![Carte des parcelles bio](/img/carte.png)

<figure><img src="/x.png" alt="Schéma du service"><figcaption>Légende de la figure</figcaption></figure>

<iframe src="https://video.example/embed" title="Vidéo"></iframe>
<script>var tracking = "secret";</script>
<!-- commentaire caché -->

| Indicateur | Valeur |
|---|---|
| Navires | 1200 |
"""


def test_markdown_body_keeps_readable_text_only():
    result = extract(MARKDOWN, is_markdown=True)
    for kept in ("lien vers le site", "Une citation utile.", "Carte des parcelles bio", "Schéma du service",
                 "Légende de la figure", "Navires 1200", "La problématique"):
        assert kept in result.text
    for dropped in ("target", "baseurl", "include", "video.html", "tracking", "secret", "commentaire",
                    "citation}", "{:", "https://"):
        assert dropped not in result.text
    assert result.headings == ["La problématique"]


def test_first_paragraph_skips_headings_and_short_lines():
    result = extract("# Titre\n\nCourt.\n\nUn premier vrai paragraphe avec assez de mots pour compter ici.\n", True)
    assert result.first_paragraph == "Un premier vrai paragraphe avec assez de mots pour compter ici."


def test_html_body_is_not_read_as_markdown():
    result = extract("<h2>Titre *pas* markdown</h2><p>Texte   avec\n espaces</p>", is_markdown=False)
    assert result.text == "Titre *pas* markdown\nTexte avec espaces"


def test_liquid_raw_blocks_keep_their_content_and_comments_go():
    source = "{% comment %}caché{% endcomment %}{% raw %}{{ visible }}{% endraw %}{%- if x -%}oui{% endif %}"
    assert strip_templating(source) == "{{ visible }}oui"
