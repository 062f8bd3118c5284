"""The benchmark runner and its data keep working (tiny sizes; no timing is asserted here)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402


def test_runner_prints_every_budget_line(tmp_path: Path) -> None:
    env = {**os.environ, "ZS_BENCH_DATA": str(tmp_path)}
    run = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--size", "40"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stdout.splitlines()
    for key in ("B1", "B2", "B3", "B4", "B5", "B6a", "B6b", "B7", "B8a", "B8b", "B8c", "B9a", "B9b"):
        (line,) = [x for x in lines if x.split(" ", 1)[0] == key]
        assert line.rstrip().endswith(("holds", "FAILS")) or " n/a (" in line, line


def test_generated_workbook_reads_in_calamine_and_openpyxl(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    path = tmp_path / "ledger.xlsx"
    generate.write_xlsx(path, 30, seed=7)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1] == generate.HEADERS
    assert len(rows) == 33 and rows[-1][0] == "合计"
    assert [r[0] for r in rows[2:-1]] == [generate.project_code(i) for i in range(30)]
    sheet = load_workbook(path, read_only=True).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))] == generate.HEADERS
    assert sum(1 for _ in sheet.iter_rows()) == 33
    again = tmp_path / "again.xlsx"
    generate.write_xlsx(again, 30, seed=7)
    assert again.read_bytes() == path.read_bytes()  # deterministic: same size and seed, same file


def test_inline_string_workbook_reads_the_same(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    shared, inline = tmp_path / "shared.xlsx", tmp_path / "inline.xlsx"
    generate.write_xlsx(shared, 30, seed=7)
    generate.write_xlsx(inline, 30, seed=7, inline=True)
    rows = CalamineWorkbook.from_path(str(inline)).get_sheet_by_index(0).to_python()
    assert rows == CalamineWorkbook.from_path(str(shared)).get_sheet_by_index(0).to_python()
    sheet = load_workbook(inline, read_only=True).active
    assert [c.value for c in next(sheet.iter_rows(min_row=3, max_row=3))][:2] == rows[2][:2]


def test_generated_ledger_is_migrated_and_full(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    generate.write_ledger(path, 50, seed=7)
    con = sqlite3.connect(path)
    count = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("project", "milestone", "trip",
                                                                                 "unit", "chain", "target")}
    assert count["project"] == 50 and 400 <= count["milestone"] <= 600
    assert count["unit"] == 28 and count["chain"] == 10 and count["trip"] > 0 and count["target"] > 0
    assert con.execute("SELECT max(done_on) FROM milestone").fetchone()[0] <= generate.TODAY.isoformat()
    con.close()
    run = subprocess.run([*generate.zs_command(), "--db", str(path), "db", "check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
