"""What the results page's browser tests share: the page's states (URLs on the shipped corpus),
the phone's size the issue measured, and small readers of the page."""

import re

#: The phone of the issue (a common 6.1" screen); desktop is conftest's DESKTOP (1280×800).
PHONE = {"width": 390, "height": 844}

#: States of the results page, by what they show (the shipped corpus, ``corpus/``).
HOME = "/"
QUERY = "/recherche?q=orgues"
FILTERED = "/recherche?q=donnees&kind=d%C3%A9fi&year=2019"
PAGE_2 = "/recherche?q=donnees&page=2"
NO_RESULT = "/recherche?q=%22controle+des+navirres+de+peche%22"
CORRECTED = "/recherche?q=catallogage"
DROPPED = "/recherche?q=donnees+zzzqqq"
EXPANDED = "/recherche?expand=tags"
STATES = {"no-query": HOME, "results": QUERY, "filters-active": FILTERED, "page-2": PAGE_2,
          "no-result": NO_RESULT, "correction": CORRECTED, "dropped-word": DROPPED, "facet-in-full": EXPANDED}

SUMMARY = "#results-title"
FIRST_HIT = "ol.hits > li:first-child h3 a"


def hit_titles(page) -> list[str]:
    return page.locator("ol.hits > li h3").all_inner_texts()


def summary_text(page) -> str:
    """The results' summary as read aloud (its hidden « pour « … » » included), spaces normalised."""
    return " ".join(page.locator(SUMMARY).text_content().split())


def total_of(page) -> int:
    """The number of results the summary gives (« Résultats 1 à 10 sur 80 », « 4 résultats »)."""
    text = summary_text(page).replace("\u202f", "").replace("\xa0", "")
    match = re.search(r"sur (\d+)", text) or re.match(r"(\d+) résultat", text)
    return int(match.group(1)) if match else 0


def in_first_screen(page, selector: str) -> bool:
    """Whether the element is wholly on the first screen (the page not scrolled)."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def in_view(page, selector: str) -> bool:
    """Whether the element's top is on screen where the page is scrolled now."""
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")


def tick(checkbox) -> None:
    """Click a DSFR checkbox as a visitor does: on its label (the box is drawn by the label)."""
    checkbox.locator("xpath=following-sibling::label").click()
