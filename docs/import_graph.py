"""Print the package's dependency picture: which module imports which, as a Mermaid graph.

Run from the repository root: ``python docs/import_graph.py [ROOT]``. Modules inside
``analyser/ingest``, ``analyser/metrics``, ``analyser/report``, ``analyser/locale`` and
``dashboard/pages`` are drawn as one box each (the folder is the idea); every other module
is its own box. Imports inside functions (deferred on purpose) are drawn dashed. The
output also lists import cycles between boxes, which docs/architecture.md wants to be none.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGES = ("analyser", "dashboard")
FOLDERS = ("analyser.ingest", "analyser.metrics", "analyser.report", "dashboard.pages")


def box(module: str) -> str:
    """The box a module is drawn in: its folder for the grouped folders, else itself."""
    for folder in FOLDERS:
        if module == folder or module.startswith(folder + "."):
            return folder
    return module.removesuffix(".__init__")


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, bool]]:
    """(imported module, deferred?) for each import of a known module in ``path``."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        if _in_type_checking(tree, node):
            continue  # for type checkers only: no dependency when the code runs
        deferred = id(node) not in top_level and not _in_try(tree, node)
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((target, deferred))
                break
    return found


def _in_type_checking(tree: ast.Module, node: ast.AST) -> bool:
    return any(isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test)
               and any(child is node for child in ast.walk(top)) for top in tree.body)  # fmt: skip


def _in_try(tree: ast.Module, node: ast.AST) -> bool:
    """Optional imports in a module-level ``try`` are still module level."""
    return any(isinstance(top, ast.Try) and any(child is node for child in ast.walk(top)) for top in tree.body)


def edges(root: Path) -> dict[tuple[str, str], bool]:
    """(from box, to box) -> True when every such import is deferred."""
    found = modules(root)
    result: dict[tuple[str, str], bool] = {}
    for name, path in found.items():
        for target, deferred in imports(name, path, set(found)):
            a, b = box(name), box(target)
            if a != b:
                result[(a, b)] = result.get((a, b), True) and deferred
    return result


def cycles(graph: dict[tuple[str, str], bool]) -> list[list[str]]:
    """Strongly connected groups of more than one box (module-level imports only)."""
    out = defaultdict(set)
    for (a, b), deferred in graph.items():
        if not deferred:
            out[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(out[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted({x for edge in graph for x in edge}):
        if v not in index:
            visit(v)
    return groups


def mermaid(graph: dict[tuple[str, str], bool]) -> str:
    nodes = sorted({x for edge in graph for x in edge})
    ident = {n: n.replace(".", "_") for n in nodes}
    lines = ["flowchart LR"]
    for package in PACKAGES:
        lines.append(f"  subgraph {package}")
        lines += [f"    {ident[n]}[{n.removeprefix(package + '.')}]" for n in nodes if n.split(".")[0] == package]
        lines.append("  end")
    for (a, b), deferred in sorted(graph.items()):
        lines.append(f"  {ident[a]} {'-.->' if deferred else '-->'} {ident[b]}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    graph = edges(root)
    print(mermaid(graph))
    loops = cycles(graph)
    print(f"\n%% boxes: {len({x for e in graph for x in e})}, imports between boxes: {len(graph)}"
          f" ({sum(graph.values())} deferred), cycles: {loops or 'none'}")


if __name__ == "__main__":
    main(sys.argv)
