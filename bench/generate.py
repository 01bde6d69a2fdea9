"""Build a large Jekyll-style site from a real one, deterministically, for benchmarks.

The source site (by default ``../shared/corpora/site-eig``, else the shipped ``corpus/``) is read
with the project's own reader; every collection folder of it (``_defis/``, ``_posts/``,
``en/_posts/``, ``_communaute/``…) is then reproduced with as many pages as asked, in the same
proportions. A generated page copies the shape of a random source page of its folder (front
matter fields, sequence of headings, paragraphs and lists) and fills it with material drawn from
the whole folder: recombined titles, paragraphs, tags, authors, descriptions and dates. Each
``_data`` entry that points at a source page (``link_to``…) gets a counterpart, with fields mixed
from the source entries, pointing at a generated page.

Same source, seed and size give byte-identical output. Example::

    python -m bench.generate --docs 20000 --out /tmp/site-20k --seed 1
"""

import argparse
import copy
import hashlib
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

import yaml
from unidecode import unidecode

from indexer.build.loading import Site
from indexer.errors import EigSearchError, FileRejected
from indexer.site import permalinks
from indexer.site.config import CONFIG_FILE, PERMALINK_STYLES
from indexer.site.datafiles import DATA_FOLDER, LINK_KEYS, site_link
from indexer.site.documents import TITLE_KEYS, Draft, StaticFile, read_document
from indexer.site.frontmatter import split

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = PROJECT.parent / "shared" / "corpora" / "site-eig"
FALLBACK_SOURCE = PROJECT / "corpus"

#: Front-matter fields never copied: they would give two pages one URL, or pin a language or date.
DROPPED_KEYS = frozenset({"permalink", "slug", "lang-ref", "published", "categories", "category",
                          "redirect_from", "date", "lang", "locale", "language"})
#: Data fields that only make sense together (a promotion belongs to a year).
PAIRED_DATA_KEYS = ("year", "promotion", "annees", "class")
#: A generated data file is split before it reaches this size (the indexer refuses files over 5 MB).
MAX_DATA_FILE_BYTES = 4 * 1024 * 1024
EDIT_MARK = "Paragraphe ajouté par le banc d'essai"

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _NoAliasDumper(_Dumper):
    def ignore_aliases(self, data):
        return True


def default_source() -> Path:
    """``../shared/corpora/site-eig`` when present, else the shipped ``corpus/``."""
    return DEFAULT_SOURCE if DEFAULT_SOURCE.is_dir() else FALLBACK_SOURCE


# -- reading the source -----------------------------------------------------------------------

@dataclass
class Model:
    """One source page: the shape a generated page copies."""

    name: str
    meta: dict
    kinds: list[str]
    date: date | None
    lang: str
    dated_name: bool


@dataclass
class DataModel:
    """The entries of one ``_data`` file that point at pages of one folder."""

    file: str  # relative to _data, e.g. "defis.yml"
    mapping: bool  # top level is a mapping (key → entry) rather than a list
    entries: list[dict]
    share: float  # fraction of the folder's pages that have such an entry


@dataclass
class Group:
    """A folder of the source that holds pages of one collection (``_defis``, ``en/_posts``…)."""

    folder: str
    collection: str
    models: list[Model] = field(default_factory=list)
    blocks: dict[str, list[str]] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    data: list[DataModel] = field(default_factory=list)


def block_kind(block: str) -> str | None:
    """``heading``, ``list``, ``quote``, ``html`` or ``paragraph``; None for Liquid and kramdown markup."""
    if "{%" in block or "{{" in block or block.startswith("{:"):
        return None
    if block.startswith("#"):
        return "heading"
    if re.match(r"([-*+]|\d+\.)\s", block):
        return "list"
    if block.startswith(">"):
        return "quote"
    if block.startswith("<"):
        return "html"
    return "paragraph"


def read_source(source: Path) -> tuple[Site, list[Group]]:
    """The source site and its page folders, with everything a generated page is made of."""
    site = Site(source)
    groups: dict[str, Group] = {}
    by_url: dict[str, Group] = {}
    for src in site.sources:
        if src.collection == "pages":
            continue
        try:
            document = read_document(site.root, src, site.config, site.data)
            meta, body = split((site.root / src.relative_path).read_text("utf-8"))
        except (Draft, StaticFile, FileRejected, OSError, UnicodeDecodeError):
            continue
        folder = src.relative_path.rsplit("/", 1)[0]
        group = groups.setdefault(folder, Group(folder, src.collection))
        kinds = []
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            kind = block_kind(block) if block else None
            if kind:
                kinds.append(kind)
                group.blocks.setdefault(kind, []).append(block)
        dated = permalinks.split_dated_name(PurePosixPath(src.name).stem)[0] is not None
        doc_date = date.fromisoformat(document.date) if document.date else None
        group.models.append(Model(src.name, meta, kinds, doc_date, document.lang, dated))
        group.titles.append(document.title)
        for key, value in meta.items():
            group.values.setdefault(str(key), []).append(value)
        group.tags.extend(str(tag) for tag in _as_list(meta.get("tags")))
        by_url[permalinks.normalise(document.url)] = group
    _attach_data(site.root, groups, by_url)
    return site, [groups[name] for name in sorted(groups)]


def _attach_data(root: Path, groups: dict[str, Group], by_url: dict[str, Group]) -> None:
    folder = root / DATA_FOLDER
    for path in sorted(folder.rglob("*.yml")) if folder.is_dir() else []:
        try:
            data = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        items = list(data.values()) if isinstance(data, dict) else data if isinstance(data, list) else []
        linked: dict[str, list[dict]] = {}
        for entry in items:
            link = site_link(entry) if isinstance(entry, dict) else None
            group = by_url.get(permalinks.normalise(link)) if link else None
            if group is not None:
                linked.setdefault(group.folder, []).append(entry)
        for group_folder, entries in sorted(linked.items()):
            group = groups[group_folder]
            share = min(1.0, len(entries) / len(group.models))
            group.data.append(DataModel(path.relative_to(folder).as_posix(), isinstance(data, dict), entries, share))


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# -- generating -------------------------------------------------------------------------------

def apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders, ties by name)."""
    whole = sum(weights.values())
    exact = {name: total * weight / whole for name, weight in weights.items()}
    counts = {name: int(value) for name, value in exact.items()}
    left = total - sum(counts.values())
    for name in sorted(exact, key=lambda n: (-(exact[n] - counts[n]), n))[:left]:
        counts[name] += 1
    return counts


def recombine_title(rng: random.Random, titles: list[str]) -> str:
    """The start of one title followed by the end of another ("Étienne" + "de Quatrebarbes")."""
    first, second = rng.choice(titles).split(), rng.choice(titles).split()
    if not first or not second:
        return " ".join(first or second) or "Sans titre"
    head = first[: rng.randint(1, max(1, (len(first) + 1) // 2))]
    tail = second[rng.randint(len(second) // 2, len(second) - 1):] if len(second) > 1 else []
    return " ".join(head + tail)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
    return slug[:60].rstrip("-") or "page"


def page_url(site: Site, collection: str, relative_path: str, slug: str, doc_date: date | None) -> str:
    """The public URL the indexer will compute for a generated page (no own permalink, no categories)."""
    config = site.config
    stem = PurePosixPath(relative_path).with_suffix("")
    folder = "_posts" if collection == "posts" else "_" + collection
    inner = relative_path.split(folder + "/", 1)[-1]
    configured = config.collections.get(collection)
    default = config.permalink if collection == "posts" else "/:collection/:path:output_ext"
    template = config.defaults_for(relative_path, collection).get("permalink") or (
        configured.permalink if configured and configured.permalink else default)
    template = PERMALINK_STYLES.get(template, template)
    categories = []
    if collection == "posts":
        categories = [part for part in ("/" + relative_path).split("/_posts/")[0].split("/") if part]
    return config.baseurl + permalinks.render(
        str(template), title=permalinks.slugify(slug, "pretty", cased=True), name=stem.name,
        path=PurePosixPath(inner).with_suffix("").as_posix(), doc_date=doc_date, categories=categories,
        collection=collection, output_ext=".html")


def _front_matter(rng: random.Random, group: Group, model: Model, title: str, doc_date, lang: str) -> dict:
    meta = {}
    for key, value in model.meta.items():
        key = str(key)
        if key in DROPPED_KEYS:
            continue
        if key in TITLE_KEYS:
            meta[key] = title
        elif key == "tags" and group.tags:
            meta[key] = list(dict.fromkeys(rng.choice(group.tags) for _ in _as_list(value)))
        else:
            meta[key] = rng.choice(group.values[key])
    if doc_date:
        meta["date"] = doc_date
    meta["lang"] = lang
    return meta


def _body(rng: random.Random, group: Group, model: Model) -> str:
    return "\n\n".join(rng.choice(group.blocks[kind]) for kind in model.kinds)


def _data_entry(rng: random.Random, data: DataModel, title: str) -> dict:
    """An entry shaped like a random source entry, fields mixed; its link is filled in later (None)."""
    shape = rng.choice(data.entries)
    pair = rng.choice(data.entries)
    entry = {}
    for key in shape:
        if key in LINK_KEYS and isinstance(shape[key], str) and shape[key].startswith("/"):
            entry[key] = None
        elif key in TITLE_KEYS:
            entry[key] = title
        elif key in PAIRED_DATA_KEYS and key in pair:
            entry[key] = copy.deepcopy(pair[key])
        else:
            entry[key] = copy.deepcopy(rng.choice([e[key] for e in data.entries if key in e]))
    return entry


def _dated(rng: random.Random, group: Group, model: Model, entry: dict | None) -> date | None:
    year = entry.get("year") if entry else None
    if isinstance(year, int) and 1990 < year < 2100 and model.date:
        return date(year, model.date.month, min(model.date.day, 28))
    known = [m.date for m in group.models if m.date]
    if not known:
        return None
    year = rng.choice(known).year
    return date(year, 1, 1) + timedelta(days=rng.randint(0, 364))


def _dump(value) -> str:
    return yaml.dump(value, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=4096,
                     default_flow_style=False)


def generate(out, docs: int, source=None, seed: int = 1) -> dict[str, int]:
    """Write a site of ``docs`` pages into ``out`` (absent or empty); return pages per folder."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise EigSearchError(f"le dossier de sortie n'est pas vide : {out}")
    source = Path(source) if source else default_source()
    site, groups = read_source(source)
    groups = [group for group in groups if group.models]
    if not groups:
        raise EigSearchError(f"aucune page de collection dans {source}")
    out.mkdir(parents=True, exist_ok=True)
    if (site.root / CONFIG_FILE).is_file():
        shutil.copyfile(site.root / CONFIG_FILE, out / CONFIG_FILE)
    rng = random.Random(seed)
    counts = apportion(docs, {group.folder: len(group.models) for group in groups})
    data_out: dict[str, tuple[bool, list]] = {}
    serial = 0
    for group in groups:
        (out / group.folder).mkdir(parents=True, exist_ok=True)
        for _ in range(counts[group.folder]):
            serial += 1
            model = rng.choice(group.models)
            title = recombine_title(rng, group.titles)
            slug = f"{slugify(title)}-{serial}"
            wanted = [data for data in group.data if rng.random() < data.share]
            entries = [(data, _data_entry(rng, data, title)) for data in wanted]
            doc_date = _dated(rng, group, model, entries[0][1] if entries else None)
            suffix = PurePosixPath(model.name).suffix
            name = f"{doc_date.isoformat()}-{slug}{suffix}" if model.dated_name and doc_date else f"{slug}{suffix}"
            relative_path = f"{group.folder}/{name}"
            url = page_url(site, group.collection, relative_path, slug, doc_date)
            for data, entry in entries:
                for key in LINK_KEYS:
                    if key in entry and entry[key] is None:
                        entry[key] = url
                data_out.setdefault(data.file, (data.mapping, []))[1].append((title, entry))
            meta = _front_matter(rng, group, model, title, doc_date, model.lang)
            text = f"---\n{_dump(meta)}---\n\n{_body(rng, group, model)}\n"
            (out / relative_path).write_text(text, "utf-8")
    for file, (mapping, entries) in sorted(data_out.items()):
        _write_data(out / DATA_FOLDER, file, mapping, entries)
    return counts


def _write_data(folder: Path, file: str, mapping: bool, entries: list[tuple[str, dict]]) -> None:
    """One data file, split into ``name.yml``, ``name-2.yml``… to stay under the indexer's size limit."""
    stem, suffix = file.rsplit(".", 1)
    chunks, current, size, used = [], [], 0, set()
    for title, entry in entries:
        if mapping:
            key, number = title, 1
            while key in used:
                number += 1
                key = f"{title} ({number})"
            used.add(key)
            text = _dump({key: entry}) + "\n"
        else:
            text = _dump([entry])
        if current and size + len(text.encode()) > MAX_DATA_FILE_BYTES:
            chunks.append(current)
            current, size = [], 0
        current.append(text)
        size += len(text.encode())
    chunks.append(current)
    for number, chunk in enumerate(chunks, start=1):
        path = folder / (file if number == 1 else f"{stem}-{number}.{suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(chunk), "utf-8")


# -- helpers for the benchmark ----------------------------------------------------------------

def tree_digest(folder) -> str:
    """SHA-256 of every file's relative path and bytes, in sorted order."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def page_files(folder) -> list[Path]:
    """The generated pages, in a stable order."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".markdown", ".html")
                  and not p.relative_to(folder).as_posix().startswith(DATA_FOLDER + "/"))


def edit(folder, count: int, round_: int) -> list[str]:
    """Append a paragraph to ``count`` pages spread over the site; return their relative paths."""
    folder = Path(folder)
    pages = page_files(folder)
    step = max(1, len(pages) // max(1, count))
    chosen = pages[round_ % step::step][:count]
    for number, path in enumerate(chosen):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{EDIT_MARK} (passe {round_}, page {number}) : la mise à jour incrémentale "
                         "doit relire cette page et elle seule.\n")
    return [path.relative_to(folder).as_posix() for path in chosen]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="nombre de pages à écrire")
    parser.add_argument("--out", required=True, help="dossier de sortie (absent ou vide)")
    parser.add_argument("--source", help=f"site source (défaut : {DEFAULT_SOURCE}, sinon {FALLBACK_SOURCE})")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        counts = generate(args.out, args.docs, args.source, args.seed)
    except EigSearchError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{folder} {count}" for folder, count in counts.items())
    print(f"{sum(counts.values())} pages écrites dans {args.out} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
