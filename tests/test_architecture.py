"""The import rules of ``docs/architecture.md``, read from the source (no module is imported).

- No import cycles among ocrframe's modules, except the edges in :data:`CYCLE_EDGES_ALLOWED`
  (each names the issue item that removes it; an entry no longer needed fails too).
- Every module belongs to a layer of :data:`LAYERS`; a module imports only from its own
  unit (a module or package named in the table) or from units of lower layers. Units of one
  layer are independent of each other.
- ``tests/`` holds only tests and fixtures, and no test edits ``sys.path``.
- No module over :data:`MAX_MODULE_LINES` lines, except those in :data:`LARGE_MODULES_ALLOWED`.

Every ``import`` counts, at module level or inside a function (a lazy import is still a
dependency); only imports under ``if TYPE_CHECKING:`` (annotations) do not.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "ocrframe"

#: the layers, top first; each lists its units (a module, or a package with all its modules).
#: The root package ``ocrframe`` is the module ``ocrframe/__init__.py`` alone.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("command-line aliases", ("ocrframe.datasets.synth.__main__",)),
    ("deprecated re-exports (removed in the next release)",
     ("ocrframe.backends.http_common", "ocrframe.server.testing", "ocrframe.evaluate")),
    ("entry points", ("ocrframe", "ocrframe.cli", "ocrframe.testing")),
    ("applications", ("ocrframe.accessor", "ocrframe.dask", "ocrframe.server")),
    ("running and judging", ("ocrframe.batch", "ocrframe.evaluation")),
    ("backends", ("ocrframe.backends",)),
    ("producers of answers and labels", ("ocrframe.engine", "ocrframe.datasets")),
    ("labels and interchange formats", ("ocrframe.io",)),
    ("frames, storage and drawing", ("ocrframe.frames", "ocrframe.store", "ocrframe.persist", "ocrframe.viz",
                                     "ocrframe.imageformat")),
    ("the contract and geometry", ("ocrframe.contract", "ocrframe.geometry", "ocrframe.dtypes")),
    ("typed records", ("ocrframe.response",)),
    ("foundations", ("ocrframe.errors", "ocrframe.normalize", "ocrframe.secret", "ocrframe.lang")),
    ("the registry", ("ocrframe.types", "ocrframe._version", "ocrframe._warn")),
)

#: import edges (importer, imported) that close a cycle today, with what removes them
CYCLE_EDGES_ALLOWED: dict[tuple[str, str], str] = {
    ("ocrframe.datasets.synth", "ocrframe.cli"):
        "the deprecated alias ocrframe.datasets.synth.main (the command line moved to ocrframe.cli.synth): "
        "removed with it in the next release",
}

#: import edges allowed to go upward or sideways between units, with what removes them
LAYER_EDGES_ALLOWED: dict[tuple[str, str], str] = {
    ("ocrframe.datasets.synth", "ocrframe.cli"): CYCLE_EDGES_ALLOWED[("ocrframe.datasets.synth", "ocrframe.cli")],
}

#: the order of the modules inside a unit (top first), where it matters: each imports only
#: modules of the groups below its own (and, within a group, none of the others)
INNER_LAYERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "ocrframe.evaluation": (
        ("ocrframe.evaluation",),  # the package: the public names
        ("ocrframe.evaluation.result",),  # Evaluation = the tables + figures + report; evaluate()
        ("ocrframe.evaluation.report",),  # the HTML / Markdown report, drawn from the tables and figures
        ("ocrframe.evaluation.plots",),  # the *Display figures
        ("ocrframe.evaluation.core",),  # EvaluationTables: every table of one evaluation
        ("ocrframe.evaluation.matching", "ocrframe.evaluation.metrics", "ocrframe.evaluation.fields",
         "ocrframe.evaluation.thresholds", "ocrframe.evaluation.calibration", "ocrframe.evaluation.findings"),
        ("ocrframe.evaluation.groups",),  # the by= / correct= options
    ),
    # the generator: no cycle between rendering and the layouts (they register into layout.py,
    # catalog.py loads them), and no layout module imports another (shared parts: parts.py)
    "ocrframe.datasets.synth": tuple(tuple(f"ocrframe.datasets.synth{m}" for m in group) for group in (
        ("", ".__main__"),  # generate(); python -m
        (".scene",),  # one labelled scene: picks the kind, lays out, renders, composes
        (".render", ".packed", ".scan", ".desk"),  # one document drawn; the scene kinds' compositions
        (".catalog",),  # loads every layout module: the registry complete
        (".cards", ".extras", ".flight", ".forms", ".licenses", ".quota", ".receipts", ".receipts_more", ".taxi",
         ".toll", ".vat"),  # the layout modules: each registers its variants
        (".layout", ".parts", ".formats", ".compose", ".backgrounds", ".kinds", ".sheet"),
        (".draw", ".printing", ".values"),  # the canvas, print faults, field values per type
        (".fonts", ".people"),  # bundled fonts; persons, companies, numbers the value generators share
        (".checks", ".reference"),  # check digits; reference data (cities, names, banks ...)
    )),
}


#: the most lines a module may have (issue 17: "no module over 500 lines except data tables")
MAX_MODULE_LINES = 500
#: modules allowed over :data:`MAX_MODULE_LINES` today, with why and what would split them
LARGE_MODULES_ALLOWED: dict[str, str] = {}


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    where: str  # path:line of the first such import


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (annotations only)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
            if name == "TYPE_CHECKING":
                skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def import_edges(root: Path = ROOT) -> list[Edge]:
    """The import edges between ocrframe's modules, from the source."""
    files = module_files(root)

    def resolve(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[tuple[str, str], Edge] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _type_checking_nodes(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                # `from pkg import name`: the submodule when there is one, else pkg itself
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in files else source for a in node.names]
            for target in targets:
                if target != PACKAGE and not target.startswith(PACKAGE + "."):
                    continue
                resolved = resolve(target)
                if resolved and resolved != module and (module, resolved) not in edges:
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    edges[(module, resolved)] = Edge(module, resolved, where)
    return list(edges.values())


def strongly_connected(nodes, edges: list[Edge]) -> list[list[str]]:
    """The cycles' strongly connected components (Tarjan, iterative), each sorted."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for e in edges:
        succ.setdefault(e.importer, []).append(e.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    for start in sorted(succ):
        if start in index:
            continue
        work = [(start, iter(succ[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(succ.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def reaches(edges: list[Edge], source: str, target: str) -> bool:
    succ: dict[str, set[str]] = {}
    for e in edges:
        succ.setdefault(e.importer, set()).add(e.imported)
    seen, todo = {source}, [source]
    while todo:
        for nxt in succ.get(todo.pop(), ()):
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def unit_of(module: str) -> str | None:
    """The most specific unit of :data:`LAYERS` holding ``module`` (None: in no layer)."""
    best = None
    for _, units in LAYERS:
        for unit in units:
            hit = module == unit if unit == PACKAGE else module == unit or module.startswith(unit + ".")
            if hit and (best is None or len(unit) > len(best)):
                best = unit
    return best


def layer_of(unit: str) -> int:
    return next(i for i, (_, units) in enumerate(LAYERS) if unit in units)


# ----------------------------------------------------------------------------- the tests

@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return import_edges()


def test_every_module_has_a_layer():
    missing = sorted(m for m in module_files() if unit_of(m) is None)
    assert not missing, f"modules in no layer of LAYERS (add their unit to tests/test_architecture.py and " \
                        f"docs/architecture.md): {missing}"
    named = [u for _, units in LAYERS for u in units]
    assert len(named) == len(set(named)), "a unit is named in two layers"
    files = module_files()
    gone = [u for u in named if not any(m == u or m.startswith(u + ".") for m in files)]
    assert not gone, f"LAYERS names units that no longer exist: {gone}"


def test_the_document_shows_every_unit():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    files = module_files()
    for _, units in LAYERS:
        for unit in units:
            if unit == PACKAGE:
                shown = f"`{PACKAGE}`"
            else:
                rel = unit[len(PACKAGE) + 1:].replace(".", "/")
                shown = f"`{rel}/`" if files[unit].name == "__init__.py" else f"`{rel}.py`"
            assert shown in text, f"docs/architecture.md does not show the unit {unit} (as {shown})"


def test_no_import_cycles(edges):
    kept = [e for e in edges if (e.importer, e.imported) not in CYCLE_EDGES_ALLOWED]
    cycles = strongly_connected(module_files(), kept)
    where = {(e.importer, e.imported): e.where for e in kept}
    report = []
    for comp in cycles:
        inside = set(comp)
        report.append(" <-> ".join(comp) + "\n    " + "\n    ".join(
            f"{a} -> {b} ({w})" for (a, b), w in sorted(where.items()) if a in inside and b in inside))
    assert not cycles, "import cycles:\n  " + "\n  ".join(report)


def test_allowed_cycle_edges_are_still_needed(edges):
    present = {(e.importer, e.imported) for e in edges}
    for (a, b), why in CYCLE_EDGES_ALLOWED.items():
        assert (a, b) in present, f"{a} no longer imports {b}: remove its CYCLE_EDGES_ALLOWED entry ({why})"
        assert reaches(edges, b, a), f"{a} -> {b} no longer closes a cycle: remove its CYCLE_EDGES_ALLOWED " \
                                     f"entry ({why})"


def test_no_layer_imports_upward_or_sideways(edges):
    bad = []
    for e in edges:
        src, dst = unit_of(e.importer), unit_of(e.imported)
        if src is None or dst is None or src == dst or (e.importer, e.imported) in LAYER_EDGES_ALLOWED:
            continue
        if layer_of(dst) <= layer_of(src):
            how = "sideways (same layer)" if layer_of(dst) == layer_of(src) else "upward"
            bad.append(f"{e.importer} -> {e.imported} ({e.where}): {how}, "
                       f"'{LAYERS[layer_of(src)][0]}' -> '{LAYERS[layer_of(dst)][0]}'")
    assert not bad, "imports against the layers of docs/architecture.md:\n  " + "\n  ".join(bad)


def test_allowed_layer_edges_are_still_needed(edges):
    present = {(e.importer, e.imported) for e in edges}
    stale = {k: v for k, v in LAYER_EDGES_ALLOWED.items() if k not in present}
    assert not stale, f"LAYER_EDGES_ALLOWED entries no longer needed: {stale}"


def test_modules_inside_a_unit_import_only_downward(edges):
    files = module_files()
    bad = []
    for unit, groups in INNER_LAYERS.items():
        inside = sorted(m for m in files if m == unit or m.startswith(unit + "."))
        rank = {m: i for i, group in enumerate(groups) for m in group}
        unplaced = [m for m in inside if m not in rank]
        assert not unplaced, f"modules of {unit} in no group of INNER_LAYERS: {unplaced}"
        for e in edges:
            if e.importer in rank and e.imported in rank and rank[e.imported] <= rank[e.importer]:
                how = "sideways" if rank[e.imported] == rank[e.importer] else "upward"
                bad.append(f"{e.importer} -> {e.imported} ({e.where}): {how}")
    assert not bad, "imports against the order inside a unit (INNER_LAYERS):\n  " + "\n  ".join(bad)


def test_modules_are_small():
    files = module_files()
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in files.items()}
    big = {m: n for m, n in sizes.items() if n > MAX_MODULE_LINES and m not in LARGE_MODULES_ALLOWED}
    assert not big, f"modules over {MAX_MODULE_LINES} lines (split them by job, or allow-list a data table in " \
                    f"LARGE_MODULES_ALLOWED saying why): {big}"
    gone = sorted(m for m in LARGE_MODULES_ALLOWED if m not in files)
    assert not gone, f"LARGE_MODULES_ALLOWED names modules that no longer exist: {gone}"


def test_the_rules_catch_what_they_forbid(tmp_path):
    # a tiny package with a cycle and an upward import: the same functions must see both
    pkg = tmp_path / PACKAGE
    (pkg / "engine").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "types.py").write_text("from .engine import pipeline\n")
    (pkg / "engine" / "__init__.py").write_text("")
    (pkg / "engine" / "pipeline.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..backends import x\n"
        "def f():\n    from . import stages\n")
    (pkg / "engine" / "stages.py").write_text("from ocrframe.engine.pipeline import f\n")
    found = {(e.importer, e.imported) for e in import_edges(tmp_path)}
    assert found == {("ocrframe.types", "ocrframe.engine.pipeline"),
                     ("ocrframe.engine.pipeline", "ocrframe.engine.stages"),
                     ("ocrframe.engine.stages", "ocrframe.engine.pipeline")}
    assert strongly_connected(module_files(tmp_path), import_edges(tmp_path)) == [
        ["ocrframe.engine.pipeline", "ocrframe.engine.stages"]]
    assert layer_of(unit_of("ocrframe.types")) > layer_of(unit_of("ocrframe.engine.pipeline"))  # types is lower


_SYS_PATH = re.compile(r"sys\.path\s*(\.\s*(insert|append|extend|remove)\b|\[|\+?=)")


def test_tests_folder_holds_only_tests_and_fixtures():
    here = Path(__file__).resolve().parent
    helpers = sorted(p.name for p in here.glob("*.py") if p.name != "conftest.py" and not p.name.startswith("test_"))
    assert not helpers, f"tests/ holds helper modules {helpers}: move them into ocrframe.testing"
    edits = [f"{p.name}:{n}" for p in sorted(here.glob("*.py")) if p.name != Path(__file__).name
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _SYS_PATH.search(line)]
    assert not edits, f"tests edit sys.path: {edits}"


if __name__ == "__main__":  # today's imports between units, top layer first
    between: dict[str, set[str]] = {}
    for e in import_edges():
        src, dst = unit_of(e.importer), unit_of(e.imported)
        if src and dst and src != dst:
            between.setdefault(src, set()).add(dst)
    for unit in sorted(between, key=layer_of):
        print(f"{unit} -> {', '.join(sorted(between[unit], key=layer_of))}")
