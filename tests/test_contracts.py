"""The layers hold (DESIGN §10): an ast walk over every module of the package finds each import, at
the top or inside a function, and fails on an arrow that runs the wrong way or a module grown too long."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zhaoshang"

# Layer of a module -> the layers it must never import.
FORBIDDEN = {
    "vocabulary": ("cli", "render", "reports", "services", "importers", "db"),
    "importers": ("cli", "render", "reports", "services", "db"),
    "services": ("cli", "render", "reports"),
    "reports": ("cli", "render"),
    "render": ("cli", "db"),
    "db": ("cli", "render", "reports", "services", "importers", "vocabulary"),
    "models": ("cli", "render", "reports", "services", "importers", "db", "vocabulary"),
}
# Libraries a layer must not reach for: render formats and never queries.
FORBIDDEN_LIBRARIES = {"render": ("sqlalchemy", "sqlmodel")}
# The import's stages and the pure workbook code: each module short enough to read.
STAGE_DIRS = ("importers", "services/imports")
MAX_LINES, MAX_STAGE_LINES = 600, 400


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("zhaoshang", *parts)).removesuffix(".__init__")
        out.append((name, path))
    return out


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement, relative ones resolved."""
    found = []
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def test_no_import_runs_against_the_layers() -> None:
    wrong = []
    for module, path in modules():
        mine = layer(module)
        for line, target in imports(module, path):
            where = f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
            if target.startswith("zhaoshang."):
                theirs = layer(target)
                if theirs == "cli" and mine != "cli" and module != "zhaoshang.__main__":
                    wrong.append(f"{where} (nothing imports cli)")
                elif theirs in FORBIDDEN.get(mine, ()):
                    wrong.append(f"{where} ({mine} never imports {theirs})")
            elif target.split(".")[0] in FORBIDDEN_LIBRARIES.get(mine, ()):
                wrong.append(f"{where} ({mine} never queries)")
    assert wrong == []


def test_no_module_is_too_long_to_read() -> None:
    long = []
    for _module, path in modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        rel = path.relative_to(PACKAGE).as_posix()
        limit = MAX_STAGE_LINES if rel.startswith(STAGE_DIRS) else MAX_LINES
        if lines > limit:
            long.append(f"{rel}: {lines} lines (at most {limit})")
    assert long == []


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The check itself: a lazy import in a function body counts, and a relative one is resolved."""
    path = tmp_path / "mod.py"
    path.write_text("def f():\n    from zhaoshang.render import emit\n    from .. import cli\n", encoding="utf-8")
    found = [target for _, target in imports("zhaoshang.services.mod", path)]
    assert "zhaoshang.render" in found and "zhaoshang.cli" in found
    assert layer("zhaoshang.render.xlsx") == "render"
