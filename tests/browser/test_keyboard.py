"""Keyboard only: the skip links, the tab order, facets toggled with Space, focus always visible,
and the focus kept near the results after a change."""

import re

from playwright.sync_api import expect

from .results_pages import FILTERED, SUMMARY
from .support import require_chromium

require_chromium()

#: The focused element and its focus indicator: the DSFR draws it on a checkbox's label's ::before,
#: and on an enlarged link's ::before (the link covers its block).
FOCUSED = """() => {
  const el = document.activeElement;
  let drawn = el.type === "checkbox" && el.labels.length ? getComputedStyle(el.labels[0], "::before") : getComputedStyle(el);
  if (el.closest(".fr-enlarge-link") && parseFloat(drawn.outlineWidth) === 0) { drawn = getComputedStyle(el, "::before"); }
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
          text: (el.innerText || el.value || "").trim().slice(0, 60),
          outline: drawn.outlineStyle, outlineWidth: parseFloat(drawn.outlineWidth)};
}"""


def tab(page, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab); the newly focused element must show a visible focus indicator."""
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", "focus was lost"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, f"focus not visible on {focused}"
    return focused


def test_tab_order_starts_with_the_skip_links_and_soon_reaches_the_search_field(page):
    page.goto("/")
    stops = [tab(page) for _ in range(8)]
    assert [s["text"] for s in stops[:2]] == ["Aller au contenu", "Aller aux filtres"]
    assert "q" in [s["id"] for s in stops]


def test_skip_link_to_the_content_then_the_search_field(page):
    page.goto("/")
    assert tab(page)["text"] == "Aller au contenu"
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    assert tab(page)["id"] == "q"


def test_skip_link_to_the_filters_then_the_first_filter(page):
    page.goto(FILTERED)
    tab(page)
    assert tab(page)["text"] == "Aller aux filtres"
    page.keyboard.press("Enter")
    # The script moves the focus once the fragment has changed (hashchange): wait for it, not a fixed time.
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'INPUT'", timeout=3000)
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "input" and focused["id"].startswith("f-"), focused
    assert focused["outline"] != "none"


def test_a_facet_toggles_with_space_and_focus_stays_on_it(page):
    page.goto("/recherche?q=donnees")
    page.get_by_role("combobox", name="Mots recherchés").focus()
    for _ in range(30):
        focused = tab(page)
        if focused["name"] == "year":
            break
    assert focused["id"].startswith("f-year-"), focused
    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&year=\d{4}$"))
    checkbox = page.locator("#" + focused["id"])
    expect(checkbox).to_be_checked()
    expect(checkbox).to_be_focused()  # the results were replaced around it, the focus was put back
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees$"))
    expect(checkbox).not_to_be_checked()
    expect(checkbox).to_be_focused()


def test_the_defi_tab_is_a_few_shift_tabs_above_the_results(page):
    """The issue counted 41 Shift+Tab from the results to the « Défi » checkbox; the tabs by
    kind sit just above the results' summary, where the focus lands after every change."""
    page.goto(FILTERED)
    page.locator(SUMMARY).focus()
    for presses in range(1, 12):
        if tab(page, "Shift+Tab")["text"].startswith("Défis"):
            break
    else:
        raise AssertionError("the Défis tab is more than 11 Shift+Tab above the summary")
    assert presses <= 5, presses


def test_removing_a_chip_with_the_keyboard_puts_focus_on_the_summary(page):
    page.goto(FILTERED)
    chip = page.get_by_role("link", name="Retirer le filtre Année : 2019")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche\?q=donnees&kind=d%C3%A9fi$"))
    expect(page.locator(SUMMARY)).to_be_focused()
    focused = page.evaluate(FOCUSED)
    assert focused["outline"] != "none", focused
    # The next Tab goes on from the results, not from the top of the page.
    assert tab(page)["text"] != "Aller au contenu"


def test_every_tab_stop_of_a_results_page_shows_its_focus(page):
    """Walk the whole page with Tab: every stop (tabs, chips, filters, hits, pagination) shows focus."""
    page.goto("/recherche?q=donnees&kind=d%C3%A9fi")
    seen = []
    for _ in range(200):
        focused = tab(page)
        if seen and focused == seen[0]:
            break
        seen.append(focused)
        if focused["text"].startswith("Dernière page"):
            break
    texts = [" ".join(s["text"].split()) for s in seen]
    assert texts[:2] == ["Aller au contenu", "Aller aux filtres"]
    for stop in ("donnees", "Rechercher", "Tous (80)", "Défis (39)", "Type de page : Défi", "Page 2"):
        assert stop in texts, stop
    assert any(re.fullmatch(r"Afficher les \d+ valeurs de « Administration »", text) for text in texts)
    assert sum(text.startswith("Projets similaires à ") for text in texts) == 10  # one per hit
    assert texts[-1] == "Dernière page"


def test_search_with_enter_moves_focus_to_the_results_summary(page):
    page.goto("/")
    tab(page)  # skip link
    page.keyboard.press("Enter")
    tab(page)  # search field
    page.keyboard.type("orgues")
    page.keyboard.press("Enter")
    summary = page.locator(SUMMARY)
    expect(summary).to_have_text("4 résultats pour « orgues »")
    expect(summary).to_be_focused()
    assert page.evaluate(FOCUSED)["outline"] != "none"
