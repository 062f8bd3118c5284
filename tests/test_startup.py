"""`zs --help` stays light: none of the heavy libraries load on its path."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlmodel", "sqlalchemy", "alembic", "pandas", "openpyxl", "xlsxwriter", "docx", "lxml")


def loaded_after(*argv: str) -> list[str]:
    code = (
        "import sys, json, io\n"
        f"sys.argv = ['zs', *{list(argv)!r}]\n"
        "sys.stdout = io.StringIO()\n"
        "from zhaoshang.cli import app\n"
        "try:\n    app(prog_name='zs')\nexcept SystemExit:\n    pass\n"
        f"sys.__stdout__.write(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_help_imports_no_heavy_library() -> None:
    assert loaded_after("--help") == []


def test_group_help_imports_no_heavy_library() -> None:
    assert loaded_after("projects", "--help") == []


def test_console_script_help_exits_zero() -> None:
    run = subprocess.run([sys.executable, "-m", "zhaoshang", "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "projects" in run.stdout and "add-project" in run.stdout


def test_operations_help_imports_no_heavy_library() -> None:
    for group in (["users", "--help"], ["summary", "--help"], ["db", "backup", "--help"]):
        assert loaded_after(*group) == [], group


def test_global_options_after_the_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`zs projects list --lang en --db X` as a clerk types it works as `zs --db X --lang en projects list`."""
    from zhaoshang.cli import hoist_global_options

    assert hoist_global_options(["projects", "list", "--lang", "en", "--db=x.db"]) == [
        "--lang", "en", "--db=x.db", "projects", "list"]
    assert hoist_global_options(["--db", "x.db", "units", "list"]) == ["--db", "x.db", "units", "list"]
    ledger = tmp_path / "l.db"
    for args in (["init"], ["units", "add", "税郭镇"], ["units", "list", "--lang", "en"]):
        run = subprocess.run([sys.executable, "-m", "zhaoshang", *args, "--db", str(ledger)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    assert run.stdout.split()[:2] == ["Order", "Unit"]
