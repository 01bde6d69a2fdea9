"""Front matter: split, parsed safely, and refused with a reason when broken or hostile."""

import pytest

from indexer.errors import FileRejected
from indexer.site.frontmatter import split


def test_split_returns_meta_and_body():
    meta, body = split("---\ntitle: Bonjour\ntags: [a, b]\n---\nLe corps.\n")
    assert meta == {"title": "Bonjour", "tags": ["a", "b"]}
    assert body == "Le corps.\n"


def test_text_without_front_matter():
    assert split("Juste du texte\n---\n") == ({}, "Juste du texte\n---\n")


def test_empty_front_matter_is_an_empty_mapping():
    assert split("---\n---\ncorps") == ({}, "corps")


@pytest.mark.parametrize("text, reason", [
    ("---\ntitle: x\ncorps sans fin\n", "front matter non fermé (ligne « --- » manquante)"),
    ("---\n- a\n- b\n---\n", "le front matter n'est pas une liste de champs (trouvé : list)"),
    ("---\ntitle: [a\n---\n", "front matter mal formé"),
    ("---\nx: !!python/object/apply:os.system [ls]\n---\n", "front matter mal formé"),
])
def test_broken_front_matter_is_rejected_with_reason(text, reason):
    with pytest.raises(FileRejected) as error:
        split(text)
    assert str(error.value).startswith(reason)


def test_alias_bomb_is_rejected_before_expansion():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    with pytest.raises(FileRejected, match="alias YAML"):
        split("\n".join(lines + ["---", ""]))


def test_a_few_aliases_are_fine():
    meta, _ = split("---\nbase: &b {lang: fr}\npage: *b\n---\n")
    assert meta["page"] == {"lang": "fr"}


def test_oversized_front_matter_is_rejected():
    with pytest.raises(FileRejected, match="trop volumineux"):
        split("---\nx: '" + "a" * 300_000 + "'\n---\n")
