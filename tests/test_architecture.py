"""The package's shape: no import cycles between its packages, no reach into another package's privates."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storyline"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for every import in the file, lazy ones included."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            target = ".".join(base[:len(base) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else (node.module or "")
            found.append((target, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return [(t, names) for t, names in found if t == "storyline" or t.startswith("storyline.")]


def top_package(module: str) -> str:
    """storyline.events.stage → events; storyline.config → config."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_import_cycle_between_packages() -> None:
    graph = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        source = top_package(module_name(path))
        for target, _ in imports(path):
            if top_package(target) and top_package(target) != source:
                graph.add_edge(source, top_package(target))
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles


def test_no_module_imports_a_private_name_of_another_package() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        source = top_package(module_name(path))
        for target, names in imports(path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and top_package(target) != source:
                offenders.append(f"{module_name(path)} imports {private} from {target}")
    assert not offenders, offenders
