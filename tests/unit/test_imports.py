"""What the app loads, and how the jsna modules import each other.

The running app reads only the database: app.py and the pages, and every jsna module they can
reach (imports inside functions included), load no build module, no geopandas and no TOML
reader. Its start-up path stays light (no scipy.stats, ~0.5 s cold). Among the jsna modules
there is no import cycle, and no module imports another's private (`_`-prefixed) name.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The build's side: reading and checking sources, geography, recipes, national tables, the
# pipeline and the TOML loader. The app imports none of them.
BUILD_MODULES = ("jsna.build",)
BUILD_LIBRARIES = ("geopandas", "shapely", "pyogrio", "tomllib")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted((ROOT / "jsna").rglob("*.py"))}


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _imports(path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) for every import that runs, at the top or inside a function.

    `import a.b` gives ("a.b", None); `from a import b` gives ("a", "b"). Imports under
    `if TYPE_CHECKING:` never run and are left out; relative imports are not used here.
    """

    def walk(node: ast.AST) -> Iterator[tuple[str, str | None]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                yield from ((a.name, None) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                assert child.level == 0, f"{path}: relative import"
                yield from ((child.module, a.name) for a in child.names)
            yield from walk(child)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")))


def _targets(path: Path) -> set[str]:
    """The modules an import in this file loads (a `from a import b` of a module: `a.b`)."""
    out = set()
    for module, name in _imports(path):
        out.add(f"{module}.{name}" if name and f"{module}.{name}" in MODULES else module)
    return out


def _jsna_edges() -> dict[str, set[str]]:
    return {m: {t for t in _targets(p) if t in MODULES} for m, p in MODULES.items()}


def _app_scripts() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def _reachable_from_app() -> set[str]:
    """Every jsna module the app can import, following imports inside functions too."""
    edges = _jsna_edges()
    todo = [t for s in _app_scripts() for t in _targets(s) if t in MODULES]
    seen: set[str] = set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        parent = m.rpartition(".")[0]
        todo.extend([*edges[m], *([parent] if parent in MODULES else [])])
    return seen


def _app_import_lines() -> list[str]:
    """Every import statement in app.py and the pages, as source lines."""
    lines: set[str] = set()
    for script in _app_scripts():
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                lines.add(ast.unparse(node))
    return sorted(lines)


def _loaded_after(lines: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules under `prefixes` in sys.modules after running `lines` in a fresh Python."""
    code = "\n".join(
        [
            *lines,
            "import sys",
            f"print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))",
        ]
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return list(ast.literal_eval(proc.stdout.strip().splitlines()[-1]))


def test_app_imports_do_not_load_scipy_stats() -> None:
    lines = _app_import_lines()
    assert "from jsna.app.ui import state, widgets" in lines
    assert _loaded_after(lines, ("scipy.stats",)) == []


def test_the_app_can_reach_no_build_module_even_through_imports_inside_functions() -> None:
    reachable = _reachable_from_app()
    assert {
        "jsna.app.ui.state",
        "jsna.app.custom",
        "jsna.core.stored",
        "jsna.core.model",
    } <= reachable
    assert sorted(m for m in reachable if _under(m, BUILD_MODULES)) == []
    libraries = {
        (m, t)
        for m in reachable
        for t in _targets(MODULES[m]) | {t for s in _app_scripts() for t in _targets(s)}
        if _under(t, BUILD_LIBRARIES)
    }
    assert libraries == set()


def test_importing_every_page_and_what_it_reaches_loads_no_build_module_or_geopandas() -> None:
    """As AppTest runs them: each page's imports, then every jsna module it can reach."""
    lines = [*_app_import_lines(), *(f"import {m}" for m in sorted(_reachable_from_app()))]
    loaded = _loaded_after(lines, ("jsna", "geopandas", "shapely", "pyogrio"))
    assert "jsna.app.ui.state" in loaded
    assert "jsna.app.custom" in loaded  # imported inside state.custom_profile
    bad = [m for m in loaded if _under(m, (*BUILD_MODULES, "geopandas", "shapely", "pyogrio"))]
    assert bad == []


def test_the_build_side_list_names_real_modules() -> None:
    assert [m for m in BUILD_MODULES if m not in MODULES] == []
    assert _under("jsna.build.recipes.gp", BUILD_MODULES)
    assert not _under("jsna.registered_extra", ("jsna.build.registered",))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in edges.get(v, ()):
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(_cycles(edges)) == [["a", "b", "c"], ["e"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_jsna_modules_counting_imports_inside_functions() -> None:
    edges = _jsna_edges()
    assert "jsna.build.recipes" in edges["jsna.build.profiles"]  # the loader checks recipe settings
    assert _cycles(edges) == []


def _private_imports() -> set[tuple[str, str, str]]:
    """(importer, module, name) for each `_name` imported from another jsna module.

    A package may keep helpers in a private module of its own (`jsna.core.stats._base`); only
    its siblings import from it.
    """
    found = set()
    for importer, path in MODULES.items():
        for module, name in _imports(path):
            if not (name and name.startswith("_") and not name.startswith("__")):
                continue
            if module not in MODULES:
                continue
            package, _, leaf = module.rpartition(".")
            if leaf.startswith("_") and importer.rpartition(".")[0] == package:
                continue
            found.add((importer, module, name))
    return found


def test_no_module_imports_another_modules_private_name() -> None:
    assert _private_imports() == set()
