"""`zs import log` and `zs import undo BATCH`: an import of the wrong file taken back, from the audit
log, refused where a later change touched its rows, and itself audited."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Zs, dump
from sheets import csv_file

LEDGER_ONLY = ("event", "event_seal", "event_block", "import_batch")  # what an undo leaves behind: its record


def rows(ledger: str) -> list[tuple]:
    """The ledger's rows but its record of changes; a project's updated_at is when the undo ran (the
    column before scope, which a later migration added at the end)."""
    return [t[:-2] + t[-1:] if t[0] == "project" else t for t in dump(ledger, skip=LEDGER_ONLY)]


@pytest.fixture
def office(zs: Zs, tmp_path: Path) -> tuple[Zs, Path]:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("add-project", "冷链物流园", "--investor", "顺和", "--amount", "5亿", "--unit", "税郭镇",
          "--stage", "在谈", "--date", "2023-05-01")
    wrong = csv_file(tmp_path / "别的区.csv", [
        ["项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段", "签约时间"],
        ["冷链物流园", "顺和", "8", "税郭镇", "签约", "2023-06-20"],      # changes the ledger's project
        ["风电装备产业园", "金风", "12", "孟庄镇", "签约", "2023-06-26"],  # a new project in a new unit
        ["光伏组件项目", "隆基", "3", "孟庄镇", "在谈", ""]])
    return zs, wrong


def test_an_import_of_the_wrong_file_is_taken_back(office: tuple[Zs, Path], ledger) -> None:
    zs, wrong = office
    before = rows(ledger)
    zs.ok("import", str(wrong))
    (batch,) = zs.json("import", "log")
    assert (batch["id"], batch["file"], batch["inserted"], batch["updated"], batch["status"]) == \
        (1, "别的区.csv", 2, 1, "done")
    run = zs.ok("import", "undo", "1", "--reason", "导错了文件")
    assert run.err == "已撤销导入批次 #1（别的区.csv）：删除节点 1、项目 2、单位 1，恢复字段 2\n"
    assert rows(ledger) == before
    (batch,) = zs.json("import", "log")
    assert batch["status"] == "undone" and batch["message"].endswith("测试员 撤销：导错了文件")
    trail = zs.json("projects", "history", "P-0001")
    assert [(t["change"], t["source"]) for t in trail[-3:]] == [  # every step audited
        ("删除节点 签约 2023-06-20", "zs import undo #1（导错了文件）"),
        ("阶段: 签约 → 在谈", "zs import undo #1（导错了文件）"),
        ("总投资: 8.00亿元 → 5.00亿元", "zs import undo #1（导错了文件）"),
    ]
    run = zs("import", "undo", "1")
    assert (run.code, run.err.split("。")[0]) == (1, "错误：导入批次 #1（别的区.csv）已经撤销过")


def test_undo_is_refused_where_a_later_change_touched_the_rows(office: tuple[Zs, Path], ledger) -> None:
    zs, wrong = office
    zs.ok("import", str(wrong))
    zs.ok("projects", "advance", "P-0002", "started", "--date", "2023-06-30")
    before = dump(ledger)
    run = zs("import", "undo", "1")
    assert run.code == 1
    assert run.err.startswith("错误：导入批次 #1（别的区.csv）之后，这些记录又被改过：P-0002（")
    assert run.err.endswith("测试员 zs projects advance）。 先看 zs projects history；"
                            "确要撤销（覆盖之后的改动），用 --force --reason 说明原因。\n")
    assert zs("import", "undo", "1", "--force").code == 1  # a reason is the point of the record
    assert dump(ledger) == before
    zs.ok("import", "undo", "1", "--force", "--reason", "整批导错，之后的推进一并撤回")
    assert [p["code"] for p in zs.json("projects", "list")] == ["P-0001"]


@pytest.mark.sqlite_only
def test_as_known_at_shows_the_ledger_between_the_import_and_its_undo(office: tuple[Zs, Path]) -> None:
    zs, wrong = office
    zs.ok("import", str(wrong))
    with sqlite3.connect(zs.db) as con:
        (moment,) = con.execute("SELECT max(at) FROM event").fetchone()
    between = zs.json("projects", "list")
    zs.ok("import", "undo", "1")
    week = ["report", "--week", "--as-of", "2023-06-30"]
    assert zs.json(*week)["totals"]["new_signed"] == 0
    known = zs.json(*week, "--as-known-at", f"{moment}+00:00")
    assert known["totals"]["new_signed"] == 1 and len(between) == 3  # 风电装备产业园, signed 2023-06-26


def test_a_failed_import_has_nothing_to_undo(zs: Zs, tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert zs("import", str(bad)).code == 1
    (batch,) = zs.json("import", "log")
    assert batch["status"] == "failed"
    run = zs("import", "undo", str(batch["id"]))
    assert (run.code, run.err) == (1, "错误：导入批次 #1（坏.xlsx）失败，没有写入任何内容，不用撤销。\n")
    assert zs("import", "undo", "9").err == "错误：导入批次 #9 不存在。 用 zs import log 查看批次编号。\n"
    assert json.loads(zs.ok("import", "log", "--format", "json").out)[0]["file"] == "坏.xlsx"
