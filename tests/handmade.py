"""Small hand-made sites written from ``{path: text}`` and indexed by the real indexer, once per
test module (``tmp_path_factory``): what the search tests build their cases on."""

from pathlib import Path

from indexer.build.run import build

#: A programme-like site: défis and person profiles as collections, posts as articles.
CONFIG = "collections:\n  defis:\n    output: true\n    permalink: /defis/:year/:title.html\n" \
         "  communaute:\n    output: true\n    permalink: /communaute/:year/:title.html\n"


def page(title: str, body: str, **meta) -> str:
    """A Markdown page with its front matter."""
    extra = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\ntitle: {title}\n{extra}---\n{body}\n"


def built_index(tmp_path_factory, files: dict[str, str], name: str) -> Path:
    """Write the site and index it; the index folder."""
    root = tmp_path_factory.mktemp(f"{name}-site")
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    folder = tmp_path_factory.mktemp(f"{name}-index")
    build(root, folder)
    return folder
