"""The modules of ``pipeline/`` import one another in one direction, from readers to export with the CLI on top
(issue 13, ``../shared/DESIGN.md``): a stage never imports a later stage, nothing but the CLI imports the
evaluation package, and no two modules import each other, at the top of a file or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

#: The layers, first to last; a module may import its own layer and the layers before it.
LAYERS: list[tuple[str, ...]] = [
    ("records", "data", "text", "atomic", "inflect"),
    ("readers",),
    ("structure",),
    ("classify",),
    ("facts",),
    ("review",),
    ("normalise",),
    ("catalogue",),
    ("export",),
    ("corrections",),
    ("batch", "rundir", "engines", "compare"),
    ("cli", "__main__"),
]
LAYER_OF = {name: k for k, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = path.relative_to(PIPELINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module of the project a file imports, anywhere in it (resolved from relative imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] in ("pipeline", "evaluation")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [f"{target}.{alias.name}" for alias in node.names] if not node.module else [target]
                found |= set(names) | {target}
            elif node.module and node.module.split(".")[0] in ("pipeline", "evaluation"):
                found.add(node.module)
    return found


def layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "pipeline" or len(parts) == 1:
        return None
    return LAYER_OF.get(parts[1])


FILES = sorted(p for p in PIPELINE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_has_a_layer():
    assert [module_name(p) for p in FILES if module_name(p) != "pipeline" and layer(module_name(p)) is None] == []


@pytest.mark.parametrize("path", FILES, ids=[module_name(p) for p in FILES])
def test_imports_go_one_way(path):
    own = layer(module_name(path))
    later = sorted(m for m in imports(path) if (k := layer(m)) is not None and own is not None and k > own)
    assert later == [], f"{module_name(path)} imports a later stage"
    if module_name(path) != "pipeline.cli":
        assert sorted(m for m in imports(path) if m.startswith("evaluation")) == []


def test_no_import_cycles():
    """No cycle of imports between modules; a package's ``__init__`` importing its own modules and their
    importing a name from it (a registry) is not a cycle between modules."""
    graph = {module_name(p): {m for m in imports(p)} for p in FILES}
    names = set(graph)

    def resolve(target: str) -> str | None:
        while target and target not in names:
            target = target.rpartition(".")[0]
        return target or None

    def related(a: str, b: str) -> bool:
        return b.startswith(a + ".") or a.startswith(b + ".")

    edges = {a: {b for t in targets if (b := resolve(t)) and b != a and not related(a, b)}
             for a, targets in graph.items()}
    found = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(names):
        if name not in state:
            visit(name, [name])
    assert found == []
