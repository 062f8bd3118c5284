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
    for key in ("B1", "B2", "B3", "B3r", "B4", "B5", "B6a", "B6b", "B7", "B8a", "B8b", "B8c", "B9a", "B9b"):
        (line,) = [x for x in lines if x.split(" ", 1)[0] == key]
        assert line.rstrip().endswith(("holds", "FAILS")) or " n/a (" in line, line


def test_generated_workbook_reads_in_calamine_and_openpyxl(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    path = tmp_path / "ledger.xlsx"
    generate.write_xlsx(path, 30, seed=7)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert len(rows[2]) >= 14 and rows[2][5] == "总投资（亿元）" and rows[1][11] == "时间节点"  # a two-row header
    assert rows[3][0].startswith("一、税郭镇") and rows[4][2] == "高端装备产业链"  # unit, then chain sections
    assert rows[-1][0] == "合计" and sum(1 for r in rows if r[2] == "小计") == 30  # a chain of one row each
    assert [r[1] for r in rows if str(r[1]).startswith("ZS")] == [generate.project_code(i) for i in range(30)]
    sheet = load_workbook(path, read_only=True).active
    assert [c.value for c in next(sheet.iter_rows(min_row=3, max_row=3))][5] == "总投资（亿元）"
    assert sum(1 for _ in sheet.iter_rows()) == len(rows)
    again = tmp_path / "again.xlsx"
    generate.write_xlsx(again, 30, seed=7)
    assert again.read_bytes() == path.read_bytes()  # deterministic: same size and seed, same file


def test_generated_workbook_imports_field_for_field(tmp_path: Path) -> None:
    """Every row of the generated ledger lands, its amount (number or text with a unit), unit, chain
    (from the row, under its sections) and stage dates (serials or text of every form) as generated."""
    book, db = tmp_path / "ledger.xlsx", tmp_path / "ledger.db"
    generate.write_xlsx(book, 300, seed=3)
    generate.init_ledger(db)
    run = subprocess.run([*generate.zs_command(), "--db", str(db), "import", str(book)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert "新增 300，更新 0，未变化 0，拒绝 0" in run.stdout + run.stderr
    con = sqlite3.connect(db)
    stored = {code: rest for code, *rest in con.execute(
        "SELECT p.code, p.investment_wan, p.investment_usd_wan, u.name, c.name FROM project p "
        "JOIN unit u ON u.id = p.unit_id JOIN chain c ON c.id = p.chain_id")}
    done = {(code, kind): (on, precision) for code, kind, on, precision in con.execute(
        "SELECT p.code, m.kind, m.done_on, m.precision FROM milestone m JOIN project p ON p.id = m.project_id "
        "WHERE m.done = 1")}
    con.close()
    place = {i: (u, c) for u, chains in generate.blocks(300) for c, a, b in chains for i in range(a, b)}
    for p in generate.projects(300, 3):
        u, c = place[p.index]
        assert stored[p.code] == [p.wan, p.usd_wan, generate.UNITS[u][0], generate.CHAINS[c][0]], p.code
        for stage in ("signed", "started", "producing"):
            if stage in p.dates:
                day, precision = p.dates[stage]
                assert done[(p.code, stage)] == (day.isoformat(), precision), (p.code, stage)


def test_inline_string_workbook_reads_the_same(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    shared, inline = tmp_path / "shared.xlsx", tmp_path / "inline.xlsx"
    generate.write_xlsx(shared, 30, seed=7)
    generate.write_xlsx(inline, 30, seed=7, inline=True)
    rows = CalamineWorkbook.from_path(str(inline)).get_sheet_by_index(0).to_python()
    assert rows == CalamineWorkbook.from_path(str(shared)).get_sheet_by_index(0).to_python()
    sheet = load_workbook(inline, read_only=True).active
    assert [c.value for c in next(sheet.iter_rows(min_row=6, max_row=6))][1:3] == rows[5][1:3]


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
