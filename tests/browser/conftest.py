"""Fixtures of the browser tests: the shipped corpus served by gunicorn, and Chromium.

The index is the session's ``corpus_index`` (built once from ``corpus/``); the app runs under the
production server (``searchweb.serve.run``) in a subprocess on a free port; every test gets a
fresh browser context whose page is watched for console errors, failed requests and CSP violations.
"""

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, PageWatch, Server

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def server(corpus_index, tmp_path_factory):
    with Server(corpus_index, tmp_path_factory.mktemp("browser-server")) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, server):
    """``open_page(**context_options)`` → ``(page, watch)``; the watch is checked after the test."""
    opened = []

    def open_(**options):
        options = {"viewport": DESKTOP, "locale": "fr-FR", "base_url": server.base_url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        page = context.new_page()
        watch = PageWatch(context, page)
        opened.append((context, watch))
        return page, watch

    yield open_
    try:
        for _context, watch in opened:
            watch.check()
    finally:
        for context, _watch in opened:
            context.close()


@pytest.fixture
def page(open_page):
    """A desktop page with JavaScript on."""
    return open_page()[0]
