"""The layers of DESIGN.md: an inner layer never imports an outer one.

model < method < services < adapters < face. Imports made only for the type
checker (under ``if TYPE_CHECKING:``) are allowed, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import emessi

SRC = Path(emessi.__file__).parent

#: The layer of each top-level part of the package (DESIGN.md, "Layers").
LAYERS = {
    "errors": 0,
    "_i18n": 0,
    "_atomic": 0,
    "_calls": 0,  # a wrong call is a UsageError, for every layer's classes  # atomic file writes, for every layer that saves a file
    "_csvread": 0,  # reading a coordinator's CSV table (applicants, availability)
    "_text": 0,  # checks of text that reaches a file (iCalendar, CSV)
    "_babel": 0,  # a maintainer's extractor for the catalogues; never imported
    "provenance": 0,
    "model": 0,
    "_convert": 1,  # just above the model: the method layer loads package data with it
    "method": 2,
    "rules": 2,
    "scheduling": 3,
    "formation": 3,
    "simulation": 3,
    "research": 3,
    "io": 4,
    "cli": 5,
    "plotting": 5,
    "demo": 5,
    "testing": 5,
    "__main__": 5,
}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "emessi" or len(parts) == 1:
        return None
    return LAYERS.get(parts[1].removesuffix(".py"), -1)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _runtime_imports(tree: ast.Module) -> list[tuple[str, int]]:
    """Every emessi import outside ``if TYPE_CHECKING:`` blocks, with its line."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return [(name, line) for name, line in found if name.startswith("emessi")]


def test_every_module_has_a_layer() -> None:
    """Each top-level module or subpackage of emessi is placed in a layer here."""
    tops = {p.stem for p in SRC.glob("*.py")} | {
        p.name for p in SRC.iterdir() if (p / "__init__.py").exists()
    }
    tops -= {"__init__"}
    assert tops <= set(LAYERS), sorted(tops - set(LAYERS))


def test_no_inner_layer_imports_an_outer_one() -> None:
    """No module imports, at run time, a module of a layer outside its own."""
    breaches = []
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        own = _layer(module)
        if own is None:
            continue  # emessi/__init__.py re-exports every layer
        for target, line in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            layer = _layer(target)
            if layer is not None and layer > own:
                breaches.append(f"{module}:{line} imports {target}")
    assert not breaches, breaches
