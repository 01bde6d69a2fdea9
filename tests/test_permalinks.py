"""URLs computed like Jekyll computes them."""

from datetime import date

import pytest

from indexer.site.permalinks import normalise, render, slugify, split_dated_name


@pytest.mark.parametrize("stem, expected", [
    ("2019-01-01-cartobio", (date(2019, 1, 1), "cartobio")),
    ("18-02-27-bootcamp-talents", (date(2018, 2, 27), "bootcamp-talents")),
    ("2018-07-3-actu", (date(2018, 7, 3), "actu")),
    ("presentation", (None, "presentation")),
    ("2019-13-45-not-a-date", (None, "2019-13-45-not-a-date")),
])
def test_dated_names(stem, expected):
    assert split_dated_name(stem) == expected


def test_collection_permalink():
    url = render("/defis/:year/:title.html", title="cartobio", name="2019-01-01-cartobio", path="",
                 doc_date=date(2019, 1, 1), categories=[], collection="defis", output_ext=".html")
    assert url == "/defis/2019/cartobio.html"


def test_post_permalink_with_categories_and_padding():
    url = render("/:categories/:year/:month/:day/:title:output_ext", title="Mon-Titre", name="x", path="",
                 doc_date=date(2018, 2, 7), categories=["En", "blog"], collection="posts", output_ext=".html")
    assert url == "/en/blog/2018/02/07/Mon-Titre.html"


def test_missing_categories_leave_no_double_slash():
    url = render("/:categories/:title/", title="x", name="x", path="", doc_date=None, categories=[],
                 collection="posts", output_ext=".html")
    assert url == "/x/"


def test_slugify_modes():
    assert slugify("Pourquoi devenir EIG", "pretty", cased=True) == "Pourquoi-devenir-EIG"
    assert slugify("Été 2019 : bilan!") == "été-2019-bilan"


@pytest.mark.parametrize("url", ["/defis/2019/cartobio.html", "https://site.fr/defis/2019/cartobio",
                                 "/defis/2019/CartoBio.html#top", "/defis/2019/cartobio/"])
def test_normalised_urls_compare_equal(url):
    assert normalise(url) == "/defis/2019/cartobio"
