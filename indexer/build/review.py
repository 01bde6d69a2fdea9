"""What a run that read the whole site (``index``, ``check``) adds to its report: the search the
site set up, the collections Jekyll publishes no page of, the administrations no ministry was
found for (:mod:`indexer.site.ministries`), a warning when most of its files with
front matter are no pages (:mod:`indexer.site.coverage`), and for ``check`` the facets its pages
could have (:mod:`indexer.site.facetsuggest`)."""

from indexer.site import facetsuggest, ministries
from indexer.site.coverage import survey


def review(site, report, metas: list[dict] | None = None) -> None:
    """Complete ``report`` of a run over ``site``; ``metas``: the front matter of its pages,
    when facets are to be suggested."""
    found = survey(site.root, site.config)
    settings = site.config.search.settings.with_pages(report.kinds)
    report.notes += [site.config.search.summary(settings), *found.notes(), *ministries.note(report.unmapped)]
    report.warnings += found.problems(report.indexed or sum(report.kinds.values()), len(report.drafts))
    if metas is not None:
        report.suggestions = facetsuggest.suggest(metas, settings)
        report.search_yaml = facetsuggest.as_yaml(report.suggestions, settings)
