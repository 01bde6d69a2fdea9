"""Screenshots of the main pages, taken with the test server.

The test writes them to a temporary folder (or to ``EIG_SCREENSHOTS_DIR``), so a test run
never touches the source tree; ``python -m tests.browser.screenshots`` refreshes the copies
kept in ``docs/screenshots/``.
"""

import os
import struct
from pathlib import Path

from .screenshots import PAGES, VIEWPORTS, take_screenshots
from .support import require_chromium

require_chromium()

MAX_TOTAL_BYTES = 400 * 1024


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def test_screenshots_of_the_main_pages(browser, server, tmp_path):
    out_dir = Path(os.environ.get("EIG_SCREENSHOTS_DIR") or tmp_path)
    saved = take_screenshots(browser, server.base_url, out_dir)
    assert sorted(path.name for path in saved) == sorted(
        f"{name}-{device}.png" for name in PAGES for device in VIEWPORTS)
    for path in saved:
        viewport = VIEWPORTS[path.stem.rsplit("-", 1)[1]]
        assert png_size(path) == (viewport["width"], viewport["height"])
        assert path.stat().st_size > 5_000, f"{path} looks blank"
    assert sum(path.stat().st_size for path in saved) < MAX_TOTAL_BYTES
