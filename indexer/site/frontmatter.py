"""Split a page into its YAML front matter and its body, refusing what is unsafe or broken."""

import re

import yaml

from indexer.errors import FileRejected

#: libyaml's loader when installed (ten times faster), else the pure-Python one; both are "safe".
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: A YAML anchor, ``&name`` standing alone: without one there can be no alias to expand.
_ANCHOR_RE = re.compile(r"(?:^|\s)&[^\s\[\]{},]+(?=\s|$)", re.MULTILINE)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

#: Front matter larger than this is refused: real pages hold a few kilobytes at most.
MAX_FRONT_MATTER_BYTES = 256 * 1024
#: Front matter whose aliases would expand to more nodes than this is refused ("billion laughs").
MAX_EXPANDED_NODES = 10_000
#: Lists and mappings nested deeper than this are refused: real files nest 4 levels at most, and
#: a value nested hundreds deep would overflow Python's stack wherever it is copied or pickled.
MAX_NESTING = 32
#: Integers of more digits are refused: YAML reads ``0x…`` of any length, and Python refuses to
#: print an integer of more than 4,300 digits (it raises ValueError wherever it becomes text).
MAX_INTEGER_DIGITS = 1_000
_INTEGER_LIMIT = 10 ** MAX_INTEGER_DIGITS

DELIMITER = "---"


def has_front_matter(text: str) -> bool:
    """True when ``text`` opens with a ``---`` line, as Jekyll requires of pages."""
    first_line = text.split("\n", 1)[0]
    return first_line.rstrip() == DELIMITER


def split(text: str) -> tuple[dict, str]:
    """Return ``(meta, body)``; a text without front matter has empty ``meta``.

    Raises :class:`FileRejected` for an unclosed block, malformed or hostile YAML, or front
    matter that is not a mapping.
    """
    if not has_front_matter(text):
        return {}, text
    lines = text.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (DELIMITER, "..."):
            break
    else:
        raise FileRejected("front matter non fermé (ligne « --- » manquante)")
    yaml_text = "\n".join(lines[1:number])
    body = "\n".join(lines[number + 1:])
    meta = parse_yaml(yaml_text, "front matter", MAX_FRONT_MATTER_BYTES)
    if meta is None:
        return {}, body
    if not isinstance(meta, dict):
        raise FileRejected(f"le front matter n'est pas une liste de champs (trouvé : {type(meta).__name__})")
    return meta, body


def parse_yaml(yaml_text: str, what: str, max_bytes: int):
    """``yaml.safe_load`` with a size cap and an alias cap; errors become :class:`FileRejected`."""
    if len(yaml_text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise FileRejected(f"{what} trop volumineux (plus de {max_bytes // 1024} ko)")
    try:
        if _ANCHOR_RE.search(yaml_text):  # aliases need an anchor (&name): only then can it be a bomb
            size = _expanded_size(yaml.compose(yaml_text, Loader=SafeLoader), {})
            if size > MAX_EXPANDED_NODES:
                raise FileRejected(f"{what} : ses alias YAML se déploieraient en {size} éléments, refusé")
        value = yaml.load(yaml_text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        raise FileRejected(f"{what} mal formé : {_describe(error)}") from None
    except ValueError as error:  # a value YAML accepts but Python cannot hold: 2020-02-30, a 5,000-digit number
        raise FileRejected(f"{what} mal formé : {error}") from None
    except RecursionError:
        raise FileRejected(too_nested(what)) from None
    check_parsed(value, what)
    return value


def check_parsed(value, what: str) -> None:
    """Refuse a parsed value nested deeper than :data:`MAX_NESTING`, holding a lone surrogate
    (JSON's ``"\\ud800"``: no UTF-8 file can store it) or an integer of more than
    :data:`MAX_INTEGER_DIGITS` digits; walked without recursion, into the lists of pairs of
    YAML's ``!!omap`` and the sets of ``!!set`` too."""
    stack = [(value, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE_RE.search(value):
                raise FileRejected(f"{what} : caractère invalide (moitié de paire UTF-16 isolée)")
            continue
        if isinstance(value, int) and abs(value) >= _INTEGER_LIMIT:
            raise FileRejected(f"{what} : nombre trop grand (plus de {MAX_INTEGER_DIGITS} chiffres)")
        children = [*value, *value.values()] if isinstance(value, dict) else \
            value if isinstance(value, (list, tuple, set)) else ()
        if children and depth >= MAX_NESTING:
            raise FileRejected(too_nested(what))
        stack.extend((child, depth + 1) for child in children)


def too_nested(what: str) -> str:
    return f"{what} trop imbriqué (plus de {MAX_NESTING} niveaux)"


def _expanded_size(node, sizes: dict) -> int:
    """Number of nodes once every alias is replaced by what it points to (memoised per node)."""
    if node is None:
        return 0
    if id(node) not in sizes:
        sizes[id(node)] = 1  # provisional: a recursive structure counts once
        if isinstance(node, yaml.SequenceNode):
            sizes[id(node)] += sum(_expanded_size(child, sizes) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            sizes[id(node)] += sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    return sizes[id(node)]


def _describe(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"{problem} (ligne {mark.line + 1})" if mark else problem
