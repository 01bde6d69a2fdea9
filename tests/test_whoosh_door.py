"""Whoosh's internals are reached only through ``indexer/whoosh_io``, and only with the Whoosh
release that package was written against.

Every module of ``indexer/`` and ``searchweb/`` is read with ``ast``. Outside ``whoosh_io`` none
may import Whoosh's codec, file, writer or matcher modules, nor use one of Whoosh's private names:
``X._name`` where ``X`` is not ``self`` or ``cls``, nor a module of the project or of the standard
library, and ``_name`` is not a name the project itself defines outside ``whoosh_io`` (so the
project's own private helpers pass, and reaching into ``whoosh_io``'s private state does not).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import indexer.whoosh_io

PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("indexer", "searchweb")
DOOR = PROJECT / "indexer" / "whoosh_io"
#: Whoosh's modules that only ``whoosh_io`` imports.
INTERNALS = ("whoosh.codec", "whoosh.filedb", "whoosh.writing", "whoosh.matching")
#: Calls that take an attribute name or a module name as a string.
ATTRIBUTE_CALLS = {"getattr", "setattr", "hasattr", "delattr"}
IMPORT_CALLS = {"import_module", "__import__"}


def project_modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text("utf-8"), str(path))
            for package in PACKAGES for path in sorted((PROJECT / package).rglob("*.py"))}


def outside_door(path: Path) -> bool:
    return DOOR not in path.parents


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_internal(dotted: str) -> bool:
    return any(dotted == module or dotted.startswith(module + ".") for module in INTERNALS)


def import_bindings(tree: ast.Module) -> dict[str, str]:
    """The names bound by import statements, with the dotted name each stands for."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:  # ``import a.b`` binds ``a``; ``import a.b as c`` binds ``c`` to ``a.b``
                top = alias.name.split(".")[0]
                bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def dotted_name(node: ast.expr, bound: dict[str, str]) -> str | None:
    """``whoosh.codec.whoosh3`` for ``whoosh.codec.whoosh3`` after ``import whoosh``; None when the
    expression is not an attribute chain on an imported name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in bound:
        return None
    return ".".join([bound[node.id], *reversed(parts)])


def _string_argument(node: ast.Call, position: int) -> str | None:
    if len(node.args) > position and isinstance(node.args[position], ast.Constant):
        value = node.args[position].value
        return value if isinstance(value, str) else None
    return None


def _call_name(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def internal_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, module)`` for every use of a Whoosh internal module: imported in any form, reached
    as an attribute of ``whoosh``, or imported by name at run time."""
    bound = import_bindings(tree)
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Attribute) and not isinstance(getattr(node, "parent", None), ast.Attribute):
            names = [dotted_name(node, bound) or ""]
        elif isinstance(node, ast.Call) and _call_name(node) in IMPORT_CALLS:
            names = [_string_argument(node, 0) or ""]
        found.extend((node.lineno, name) for name in names if is_internal(name))
    return found


def defined_names(trees) -> set[str]:
    """Every name the given modules define: functions, classes, assigned names and attributes."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Store):
                names.add(node.id if isinstance(node, ast.Name) else node.attr)
    return names


def private_uses(tree: ast.Module, own: set[str]) -> list[tuple[int, str]]:
    """``(line, code)`` for every private name used on an object that is not the project's own."""
    bound = import_bindings(tree)

    def foreign(owner: ast.expr, name: str) -> bool:
        if not is_private(name) or isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            return False
        if isinstance(owner, ast.Name) and owner.id in bound:  # a module, or a name imported from one
            return bound[owner.id].split(".")[0] == "whoosh"
        return name not in own

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and foreign(node.value, node.attr):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call) and _call_name(node) in ATTRIBUTE_CALLS and node.args:
            name = _string_argument(node, 1)
            if name and foreign(node.args[0], name):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names if is_private(a.name))
    return found


def _with_parents(tree: ast.Module) -> ast.Module:
    """Mark each node's parent, so that ``a.b.c`` is checked once, as a whole."""
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node
    return tree


def door_violations(modules: dict[Path, ast.Module]) -> list[str]:
    own = defined_names(tree for path, tree in modules.items() if outside_door(path))
    problems = []
    for path, tree in modules.items():
        if outside_door(path):
            where = path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path
            tree = _with_parents(tree)
            problems += [f"{where}:{line}: imports {name}" for line, name in internal_imports(tree)]
            problems += [f"{where}:{line}: uses {code}" for line, code in private_uses(tree, own)]
    return problems


def test_only_whoosh_io_reaches_whoosh_internals():
    modules = project_modules()
    assert len([path for path in modules if not outside_door(path)]) >= 4
    assert door_violations(modules) == []


def _check(source: str, own_source: str = "") -> list[str]:
    """The violations of one module outside the door, given the project's other code."""
    modules = {PROJECT / "indexer" / "probe.py": ast.parse(source),
               PROJECT / "indexer" / "other.py": ast.parse(own_source),
               DOOR / "door.py": ast.parse("class Postings:\n    def __init__(self):\n        self._cache = {}\n")}
    return [problem.split(": ", 1)[1] for problem in door_violations(modules)]


@pytest.mark.parametrize("source, expected", [
    ("from whoosh.codec import whoosh3", ["imports whoosh.codec", "imports whoosh.codec.whoosh3"]),
    ("from whoosh import writing as w", ["imports whoosh.writing"]),
    ("import whoosh.matching.mcore", ["imports whoosh.matching.mcore"]),
    ("import whoosh\nwhoosh.filedb.structfile.StructFile", ["imports whoosh.filedb.structfile.StructFile"]),
    ("import importlib\nimportlib.import_module('whoosh.codec.whoosh3')", ["imports whoosh.codec.whoosh3"]),
    ("from whoosh.codec.whoosh3 import _lenfield", ["imports whoosh.codec.whoosh3",
                                                   "imports whoosh.codec.whoosh3._lenfield",
                                                   "uses whoosh.codec.whoosh3._lenfield"]),
    ("leaf._perdoc.deleted_docs()", ["uses leaf._perdoc"]),
    ("writer._commit_toc(segments)", ["uses writer._commit_toc"]),
    ("def f(m):\n    m._read_ids()", ["uses m._read_ids"]),
    ("getattr(reader, '_perdoc')", ["uses getattr(reader, '_perdoc')"]),
    ("from whoosh import index as ix\nix._DEF_INDEX_NAME", ["uses ix._DEF_INDEX_NAME"]),
    ("super()._flush_segment()", ["uses super()._flush_segment"]),
    ("gen.postings._cache.clear()", ["uses gen.postings._cache"]),  # whoosh_io's own state
])
def test_the_check_finds_each_way_in(source, expected):
    assert _check(source) == expected


@pytest.mark.parametrize("source", [
    "from whoosh import query as Q\nfrom whoosh import index as whoosh_index\nwhoosh_index.open_dir('x')",
    "from whoosh.analysis import SpaceSeparatedTokenizer",
    "class A:\n    def f(self):\n        return self._x\n    @classmethod\n    def g(cls):\n        return cls._z",
    "import os\nos._exit(1)",
    "from indexer.search import scoring\nscoring._helper()",
    "gen._cards",  # a private name the project defines (elsewhere)
    "x.__class__.__name__",
])
def test_the_check_lets_the_projects_own_code_pass(source):
    assert _check(source, own_source="class G:\n    _cards = None\n") == []


def _import_with_whoosh(version: tuple, module: str) -> subprocess.CompletedProcess:
    """Import ``module`` in a fresh interpreter where the installed Whoosh says it is ``version``."""
    code = f"import whoosh\nwhoosh.__version__ = {version!r}\nimport {module}"
    return subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("version, installed, module", [
    ((2, 7, 5), "2.7.5", "indexer.whoosh_io"),
    ((2, 7, 3), "2.7.3", "indexer.whoosh_io.postings"),
    ((2, 7, 4, "b1"), "2.7.4b1", "indexer.build.run"),
    ((2, 8, 0), "2.8.0", "searchweb.engine"),
])
def test_another_whoosh_release_stops_the_import_with_a_message(version, installed, module):
    run = _import_with_whoosh(version, module)
    assert run.returncode != 0
    last_line = run.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError: eig-search lit et écrit les fichiers de Whoosh 2.7.4 ")
    assert f"mais Whoosh {installed} est installé (" in last_line
    assert "whoosh/__init__.py) : installez whoosh==2.7.4" in last_line


def test_the_pinned_whoosh_release_imports():
    assert indexer.whoosh_io.WHOOSH_VERSION == (2, 7, 4)
    run = _import_with_whoosh((2, 7, 4), "searchweb, indexer.cli")
    assert (run.returncode, run.stderr) == (0, "")
