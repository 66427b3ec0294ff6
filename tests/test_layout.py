"""The package's imports run one way: from a stage to the stages before it and the shared records.

Reads every module of ``gixml/`` and ``training/`` (installed as
``gixml.training``) as text, collects its imports of gixml modules — at the top
and inside functions alike; an import under ``if TYPE_CHECKING:`` is for
annotations and never runs — and checks that

- no module imports another that imports it back, directly or through others;
- each import goes to a module of the same stage or an earlier one (``STAGES``);
- nothing imports a package's ``__init__`` (only the modules that define things);
- extraction never imports training code (training is a later stage than
  everything but the command line).
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The stages in data-flow order; a module may import modules of its own stage
#: or of an earlier one. The first match of a module's name decides.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("shared basics", ("gixml.version", "gixml.errors", "gixml.models")),
    ("shared records", ("gixml.records", "gixml.confidence")),
    ("the national forms", ("gixml.forms", "gixml.crosswalk")),
    ("read", ("gixml.read.",)),
    ("lines", ("gixml.lines.",)),
    ("tables and metadata", ("gixml.tables.", "gixml.meta", "gixml.prose")),
    ("export", ("gixml.export",)),
    ("report", ("gixml.report",)),
    ("pipeline", ("gixml.pipeline",)),
    ("batch", ("gixml.batch",)),
    ("dataset", ("gixml.dataset",)),
    ("training", ("gixml.training.",)),
    ("review", ("gixml.review",)),
    ("command line", ("gixml.cli",)),
    ("the public API", ("gixml",)),
]
PACKAGES = {"gixml", "gixml.read", "gixml.lines", "gixml.tables", "gixml.training", "gixml.training.zoo", "gixml.models"}


def _modules() -> dict[str, Path]:
    out = {}
    for base, package in ((ROOT / "gixml", "gixml"), (ROOT / "training", "gixml.training"),
                          (ROOT / "models", "gixml.models")):
        for path in sorted(base.rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _stage(module: str) -> int:
    for n, (_, prefixes) in enumerate(STAGES):
        if any(module == p or (p.endswith(".") and (module + ".").startswith(p)) for p in prefixes):
            return n
    raise AssertionError(f"{module} is in no stage: add it to STAGES in tests/test_layout.py")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run (not those under ``if TYPE_CHECKING:``)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child
            stack.append(child)


def imports_of(module: str) -> dict[str, int]:
    """The gixml modules (or package __init__s) ``module`` imports → the line of the first import."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out: dict[str, int] = {}
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        for target in targets:
            if target == "gixml" or target.startswith("gixml."):
                out.setdefault(target, node.lineno)
    return out


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_import_names_a_module_that_exists():
    missing = [f"{m}:{line} imports {t}" for m, edges in GRAPH.items() for t, line in edges.items()
               if t not in MODULES]
    assert missing == []


def test_no_module_imports_a_package_init():
    found = [f"{m}:{line} imports {t} (import from the module that defines the name instead)"
             for m, edges in GRAPH.items() for t, line in edges.items() if t in PACKAGES]
    assert found == []


def test_imports_follow_the_stages():
    against = [f"{m} ({STAGES[_stage(m)][0]}) imports {t} ({STAGES[_stage(t)][0]}) at line {line}"
               for m, edges in GRAPH.items() for t, line in edges.items()
               if t in MODULES and t not in PACKAGES and _stage(t) > _stage(m)]
    assert against == []


def test_no_import_loops():
    loops: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in GRAPH.get(m, {}):
            if state.get(t) == 1:
                loops.append(path[path.index(t):] + [t])
            elif t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m, [m])
    assert loops == [], " ; ".join(" → ".join(loop) for loop in loops)


def test_extraction_never_imports_training_code():
    # (the review page, like the command line, serves the training loop: it writes annotation files)
    extraction = [m for m in MODULES if not m.startswith("gixml.training") and m not in ("gixml.cli", "gixml.review")]
    reached: set[str] = set()
    todo = list(extraction)
    while todo:
        m = todo.pop()
        for t in GRAPH.get(m, {}):
            if t not in reached:
                reached.add(t)
                todo.append(t)
    assert sorted(t for t in reached if t.startswith("gixml.training")) == []


@pytest.mark.parametrize("source, expected", [
    ("from .. import confidence", {"gixml.confidence"}),
    ("from ..records import Cell", {"gixml.records"}),
    ("from . import rows", {"gixml.tables.rows"}),
    ("import gixml.forms", {"gixml.forms"}),
    ("from gixml import extract", {"gixml"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..report import Report", set()),
    ("def f():\n    from ..pipeline import extract", {"gixml.pipeline"}),
])
def test_the_import_reader_reads_imports(tmp_path, source, expected, monkeypatch):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setitem(MODULES, "gixml.tables.probe", path)
    assert set(imports_of("gixml.tables.probe")) == expected


def test_the_public_api_is_small_and_every_name_resolves():
    import gixml

    assert set(gixml.__all__) == {
        "extract", "extract_text", "extract_many", "to_frame", "write_table", "BatchOptions", "BatchResult", "Report", "Cell", "CellKey",
        "Meta", "ReportWarning", "GixmlError", "UnreadableFileError", "UnsupportedInputError", "NotAReportError",
        "ModelError", "MissingDependencyError", "InputTooLargeError", "AnnotationError", "ExtractionTimeoutError",
        "__version__"}
    for name in gixml.__all__:
        assert getattr(gixml, name) is not None
    assert set(gixml.__all__) <= set(dir(gixml))
    with pytest.raises(AttributeError):
        gixml.assemble  # noqa: B018 - the stages are not the public API
