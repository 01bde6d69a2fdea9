"""Keyboard only: the skip link, the tab order, facets toggled with Space, focus always visible."""

import re

from playwright.sync_api import expect

from .support import require_chromium

require_chromium()

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
          text: (el.innerText || el.value || "").trim().slice(0, 60),
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
}"""


def tab(page) -> dict:
    """Press Tab; the newly focused element must show a visible focus indicator."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", "focus was lost"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, f"focus not visible on {focused}"
    return focused


def test_tab_order_starts_with_the_skip_link_then_the_header_then_the_search_field(page):
    page.goto("/")
    stops = [tab(page) for _ in range(5)]
    assert [(s["tag"], s["text"] or s["id"]) for s in stops] == [
        ("a", "Aller au contenu"),
        ("a", "Entrepreneurs d'intérêt général"),
        ("a", "Recherche"),
        ("a", "Projets similaires"),
        ("input", "q"),
    ]


def test_skip_link_moves_focus_to_main_and_the_next_tab_reaches_the_search_field(page):
    page.goto("/")
    skip = tab(page)
    assert skip["text"] == "Aller au contenu"
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    assert tab(page)["id"] == "q"


def test_a_facet_toggles_with_space_and_focus_stays_on_it(page):
    page.goto("/")
    page.get_by_role("combobox", name="Mots recherchés").focus()
    for _ in range(15):
        focused = tab(page)
        if focused["name"] == "kind":
            break
    assert focused["id"] == "f-kind-defi", focused
    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"/recherche\?kind=d%C3%A9fi$"))
    expect(page.locator("#results-title")).to_have_text("50 résultats")
    checkbox = page.get_by_role("checkbox", name="Défi (50)")
    expect(checkbox).to_be_checked()
    expect(checkbox).to_be_focused()  # the results were replaced around it, the focus was put back
    page.keyboard.press("Space")
    expect(page.locator("#results-title")).to_have_text("101 résultats")
    expect(checkbox).not_to_be_checked()
    expect(checkbox).to_be_focused()


def test_every_tab_stop_of_a_results_page_shows_its_focus(page):
    """Walk the whole page with Tab: every stop (chips, hits, pagination, footer) shows focus."""
    page.goto("/recherche?q=donnees&kind=d%C3%A9fi")
    seen = []
    for _ in range(120):
        focused = tab(page)
        if seen and focused == seen[0]:
            break
        seen.append(focused)
        if focused["text"].startswith("Suivante"):
            break
    texts = [" ".join(s["text"].split()) for s in seen]
    assert texts[:7] == ["Aller au contenu", "Entrepreneurs d'intérêt général", "Recherche", "Projets similaires",
                         "donnees", "Rechercher", "Filtrer (1 actif)"]
    for stop in ("défi", "Retirer le filtre Type de page : Défi ×", "Effacer les filtres", "Page 2"):
        assert stop in texts
    assert any(re.fullmatch(r"\d+ autres valeurs pour administration", text) for text in texts)
    assert sum(text.startswith("Projets similaires à ") for text in texts) == 10  # one per hit
    assert texts[-1] == "Suivante ›"


def test_search_with_enter_moves_focus_to_the_results_heading(page):
    page.goto("/")
    tab(page)  # skip link
    page.keyboard.press("Enter")
    tab(page)  # search field
    page.keyboard.type("orgues")
    page.keyboard.press("Enter")
    heading = page.locator("#results-title")
    expect(heading).to_have_text("4 résultats pour « orgues »")
    expect(heading).to_be_focused()
    focused = page.evaluate(FOCUSED)
    assert focused["outline"] != "none", focused
