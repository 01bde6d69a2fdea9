"""Small hand-made sites for the similar-projects and English-query tests."""

from pathlib import Path

#: A site whose défis are a collection, at /defis/:year/:title.html.
DEFIS_CONFIG = "collections:\n  defis:\n    output: true\n    permalink: /defis/:year/:title.html\n"


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (for a fixture wider than one test)."""
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, "utf-8")
    return root
