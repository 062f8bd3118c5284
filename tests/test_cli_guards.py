"""What a clerk gets for the slips a shell invites: a file name's extension, a workbook or another
database given as the ledger, a mistyped time zone — one line and exit 1, never a traceback."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from conftest import Zs


@pytest.fixture
def two_projects(zs: Zs) -> Zs:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("add-project", "甲项目", "--amount", "3亿", "--unit", "税郭镇", "--stage", "signed", "--date", "2023-06-26")
    zs.ok("add-project", "乙项目", "--amount", "5000万", "--unit", "税郭镇", "--stage", "lead")
    return zs


def test_out_takes_its_format_from_the_extension(two_projects: Zs, tmp_path: Path) -> None:
    zs = two_projects
    book = tmp_path / "第26周.xlsx"
    zs.ok("report", "--week", "--as-of", "2023-06-30", "--out", str(book))
    assert zipfile.is_zipfile(book) and "xl/workbook.xml" in zipfile.ZipFile(book).namelist()
    listing = tmp_path / "台账.json"
    zs.ok("projects", "list", "--out", str(listing))
    assert [p["name"] for p in json.loads(listing.read_text(encoding="utf-8"))] == ["甲项目", "乙项目"]
    table = tmp_path / "台账.csv"
    zs.ok("projects", "list", "--out", str(table))
    assert table.read_text(encoding="utf-8-sig").splitlines()[1].startswith("P-0001,甲项目,")
    # An explicit format wins, except text into a workbook's name or a workbook into a text file's.
    run = zs("projects", "list", "--format", "json", "--out", str(tmp_path / "x.xlsx"))
    assert run.code == 1
    assert run.err.strip() == ("错误：--format json 与文件名“x.xlsx”不符。 "
                               "写 Excel 用 --out 文件名.xlsx、Word 用 --out 文件名.docx；写 json 换一个扩展名。")
    assert not (tmp_path / "x.xlsx").exists()
    assert zs("report", "--week", "--format", "xlsx", "--out", str(tmp_path / "x.csv")).code == 1
    zs.ok("report", "--week", "--as-of", "2023-06-30", "--format", "md", "--out", str(tmp_path / "周报.txt"))
    assert (tmp_path / "周报.txt").read_text(encoding="utf-8").startswith("# 周调度")


def test_a_workbook_or_another_database_is_not_a_ledger(tmp_path: Path) -> None:
    book = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    for args in (["projects", "list"], ["init"], ["report", "--week"], ["db", "check"], ["db", "backup", "b.db"]):
        run = Zs(str(book))(*args)
        assert (run.code, run.err.strip()) == (1, f"错误：“{book}”不是 zs 账本（不是 SQLite 数据库文件）。 "
                                                   "Excel 台账用 zs import 导入。"), args
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    run = Zs(str(other))("init")
    assert run.code == 1 and "是别的 SQLite 数据库，不是 zs 账本；zs init 不会改动它" in run.err
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_a_mistyped_time_zone(two_projects: Zs) -> None:
    for args in (["report", "--week"], ["projects", "history", "P-0001"]):
        run = two_projects(*args, env={"ZS_TZ": "Asia/Shangai"})
        assert (run.code, run.err.strip()) == (
            1, "错误：ZS_TZ“Asia/Shangai”不是时区。 例如 ZS_TZ=Asia/Shanghai（不设则用 Asia/Shanghai）。")


def test_csv_text_is_never_a_formula(zs: Zs) -> None:
    zs.ok("add-project", '=HYPERLINK("http://x","a")', "--investor", "+cmd")
    run = zs.ok("projects", "list", "--format", "csv")
    import csv
    import io

    (row,) = list(csv.DictReader(io.StringIO(run.out.lstrip("\ufeff"))))
    assert (row["项目名称"], row["投资方"]) == ("'=HYPERLINK(\"http://x\",\"a\")", "'+cmd")


def test_a_unit_or_chain_that_would_match_an_existing_one_is_refused(zs: Zs) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("chains", "add", "高端装备产业链")
    run = zs("units", "add", "区税郭镇")
    assert run.code == 1 and "责任单位“区税郭镇”与已有的“税郭镇”按同一名称匹配" in run.err
    run = zs("chains", "add", "高端装备")
    assert run.code == 1 and "用“高端装备产业链”" in run.err
    assert [u["name"] for u in zs.json("units", "list")] == ["税郭镇"]


def test_a_damaged_or_newer_ledger_and_a_missing_directory(two_projects: Zs, tmp_path: Path, ledger: str) -> None:
    zs = two_projects
    run = zs("projects", "list", "--format", "json", "--out", str(tmp_path / "nowhere" / "x.json"))
    assert run.code == 1
    assert run.err.strip() == f"错误：--out 的目录不存在：{tmp_path / 'nowhere'} 先建好目录，或换一个路径。"
    if not Path(ledger).is_file():
        return  # the file-level cases are SQLite's
    from conftest import dispose_all

    newer = tmp_path / "newer.db"
    newer.write_bytes(Path(ledger).read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    for args in (["db", "check"], ["db", "upgrade"]):
        run = Zs(str(newer))(*args)
        assert run.code == 1 and "不是这个 zs 认识的版本（可能来自更新的 zs）" in run.err and "Traceback" not in run.err
    damaged = tmp_path / "damaged.db"
    dispose_all()
    data = bytearray(Path(ledger).read_bytes())
    data[8192:len(data)] = b"\xff" * (len(data) - 8192)
    damaged.write_bytes(bytes(data))
    for args in (["db", "check"], ["projects", "list"], ["report", "--week"]):
        run = Zs(str(damaged))(*args)
        assert run.code == 1 and "账本文件已损坏" in run.err, (args, run)
