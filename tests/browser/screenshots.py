"""Screenshots of the main pages at desktop (1280×800) and phone (390×844) size, for docs/screenshots/.

Run by ``test_screenshots.py`` with the test server, or on its own (it then builds an index of
``corpus/`` in a temporary folder and serves it as the programme's site, ``STATE_SITE`` on, so the
header shows the Marianne block)::

    .venv/bin/python -m tests.browser.screenshots [OUT_DIR]

Only the first screen of each page is kept, and its colours are reduced to a 256-colour palette
(numpy, no image library), so that the PNGs stay small enough to commit.
"""

import base64
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CORPUS,
    HOME,
    MISSING,
    NO_RESULT,
    PROJECT,
    RESULTS,
    SIMILAR,
    Server,
)

OUT_DIR = PROJECT / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
#: name → (path, HTTP status)
PAGES = {
    "home": (HOME, 200),
    "results": (RESULTS, 200),
    "similar": (SIMILAR, 200),
    "no-result": (NO_RESULT, 200),
    "error": (MISSING, 404),
}

DECODE = """async (data) => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let text = "";
  for (let i = 0; i < pixels.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, pixels.subarray(i, i + 0x8000));
  }
  return [canvas.width, canvas.height, btoa(text)];
}"""


def take_screenshots(browser, base_url: str, out_dir: Path = OUT_DIR) -> list[Path]:
    """Save ``NAME-desktop.png`` and ``NAME-phone.png`` for every page; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    decoder = browser.new_page()  # about:blank: no CSP there to refuse the data: URL
    try:
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="fr-FR",
                                          base_url=base_url, reduced_motion="reduce")
            page = context.new_page()
            for name, (path, status) in PAGES.items():
                response = page.goto(path, wait_until="networkidle")
                assert response.status == status, f"{path}: HTTP {response.status}"
                page.evaluate("document.fonts.ready.then(() => true)")
                png = page.screenshot(full_page=False, animations="disabled", caret="hide")
                target = out_dir / f"{name}-{device}.png"
                target.write_bytes(palette_png(*decode(decoder, png)))
                saved.append(target)
            context.close()
    finally:
        decoder.close()
    return saved


def decode(page, png: bytes) -> tuple[int, int, np.ndarray]:
    width, height, data = page.evaluate(DECODE, base64.b64encode(png).decode("ascii"))
    pixels = np.frombuffer(base64.b64decode(data), dtype=np.uint8).reshape(height, width, 4)
    return width, height, pixels[..., :3]


def palette_png(width: int, height: int, rgb: np.ndarray, colours: int = 256) -> bytes:
    """An 8-bit palette PNG: the most frequent colours kept, every other pixel mapped to the nearest."""
    flat = rgb.reshape(-1, 3).astype(np.uint32)
    packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    unique, inverse, counts = np.unique(packed, return_inverse=True, return_counts=True)
    unpack = lambda p: np.stack([(p >> 16) & 255, (p >> 8) & 255, p & 255], axis=1).astype(np.float32)  # noqa: E731
    if len(unique) <= colours:
        palette, indices = unpack(unique), inverse
    else:
        keep = unique[np.argsort(-counts, kind="stable")[:colours]]
        palette = unpack(keep)
        candidates = unpack(unique) * np.float32([0.5, 1.0, 0.35]) ** 0.5  # weights: green matters most
        weighted = palette * np.float32([0.5, 1.0, 0.35]) ** 0.5
        distance = ((candidates ** 2).sum(1)[:, None] - 2 * candidates @ weighted.T + (weighted ** 2).sum(1)[None, :])
        indices = distance.argmin(axis=1)[inverse]
    rows = np.hstack([np.zeros((height, 1), dtype=np.uint8), indices.reshape(height, width).astype(np.uint8)])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
        chunk(b"PLTE", palette.astype(np.uint8).tobytes()),
        chunk(b"IDAT", zlib.compress(rows.tobytes(), 9)),
        chunk(b"IEND", b""),
    ])


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from indexer.build.run import build

    out_dir = Path(argv[0]) if argv else OUT_DIR
    with tempfile.TemporaryDirectory() as temp:
        build(CORPUS, Path(temp) / "index")
        with Server(Path(temp) / "index", Path(temp), env={"EIG_SEARCH_STATE_SITE": "1"}) as server, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for path in take_screenshots(browser, server.base_url, out_dir):
                print(f"{path} ({path.stat().st_size // 1024} KB)")
            browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
