"""The package's layers: no import cycle between its parts, and a start-up that stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import kitbuilder

PACKAGE = Path(kitbuilder.__file__).resolve().parent

# What `kitbuilder --help` must not pay for: the content model, CLDR, the writers' libraries.
HEAVY = {"pydantic", "babel", "jinja2", "yaml", "weasyprint", "docx", "pikepdf", "uharfbuzz",
         "openpyxl", "lxml", "fontTools", "PIL", "pypandoc", "nh3", "markdown_it", "icalendar",
         "watchfiles", "playwright", "polib", "pyphen", "email_validator"}


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    """kitbuilder.delivery.mail → delivery; kitbuilder.pipeline → pipeline."""
    names = module.split(".")
    return names[1] if len(names) > 1 else names[0]


def is_part(package: Path, name: str) -> bool:
    return (package / name).is_dir() or (package / f"{name}.py").is_file()


def imported(node: ast.ImportFrom | ast.Import, module: str, is_package: bool) -> list[str]:
    """The kitbuilder modules (or packages) an import statement names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "kitbuilder"]
    if not node.level:
        return [node.module] if (node.module or "").split(".")[0] == "kitbuilder" else []
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - node.level + 1]
    target = ".".join(base + ([node.module] if node.module else []))
    # `from . import locale`: each name may be a module of that package
    return [target] if node.module else [f"{target}.{a.name}" for a in node.names]


def part_imports(package: Path) -> dict[tuple[str, str], list[str]]:
    """(importing part, imported part) → where: every import counts, also those inside
    functions and under TYPE_CHECKING."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(package.rglob("*.py")):
        module = module_name(path, package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in imported(node, module, path.name == "__init__.py"):
                pair = (part_of(module), part_of(target))
                if pair[0] != pair[1] and is_part(package, pair[1]):
                    found[pair].append(f"{path.relative_to(package.parent)}:{node.lineno}")
    return found


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected groups of more than one part (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted({n for pair in edges for n in pair}):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_parts_of_the_package():
    imports = part_imports(PACKAGE)
    assert ("pipeline", "delivery") in imports  # the reader sees imports inside functions
    found = cycles(set(imports))
    where = {", ".join(group): {f"{a} -> {b}": sites for (a, b), sites in imports.items()
                                if a in group and b in group} for group in found}
    assert not found, json.dumps(where, indent=1)


def test_a_cycle_hidden_inside_a_function_is_found(tmp_path):
    package = tmp_path / "kitbuilder"
    (package / "low").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low" / "__init__.py").write_text("")
    (package / "high.py").write_text("from .low import thing\n")
    (package / "low" / "thing.py").write_text("def f():\n    from ..high import g\n")
    assert cycles(set(part_imports(package))) == [["high", "low"]]


def test_help_imports_no_heavy_library_and_no_command_module():
    script = ("import json, sys\nfrom kitbuilder.cli import main\ntry:\n"
              "    main(['--help'], prog_name='kitbuilder')\nexcept SystemExit:\n    pass\n"
              "print(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    modules = json.loads(done.stdout.splitlines()[-1])
    loaded = {m.split(".")[0] for m in modules}
    assert "click" in loaded and "kitbuilder" in loaded
    assert not loaded & HEAVY, sorted(loaded & HEAVY)
    # cli/__init__.py's COMMANDS: a command's module is loaded only when it runs
    assert [m for m in modules if m.startswith("kitbuilder.cli.")] == []


def test_no_module_over_500_lines():
    long = {str(path.relative_to(PACKAGE.parent)): lines for path in PACKAGE.rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, long


def test_no_function_over_60_lines():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and \
                    node.end_lineno - node.lineno + 1 > 60:
                long[f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"] = \
                    node.end_lineno - node.lineno + 1
    assert not long, long
