"""The weekly returns loop on the sample district: 27 templates out, 20 filled in and sent back (changed
stages and dates, a new project, notes, a problem, a trip, one edited locked cell, one for the wrong
week), the inbox collected twice, then a late return and a corrected one; the ledger, the status, the
催报 text and the dispatch say what happened."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conftest import Zs, dump
from returns_fill import Return
from zhaoshang.db.engine import dispose_all

WEEK = "2023-W26"
RETURNED = ["中心街街道", "垎塘街道", "矿区街道", "文化路街道", "龙山路街道", "光明路街道", "税郭镇", "孟庄镇",
            "齐村镇", "永安镇", "西王庄镇", "区发展和改革局", "区工业和信息化局", "区科学技术局", "区商务局",
            "区卫生健康局", "区文化和旅游局", "区农业农村局", "区住房和城乡建设局", "区交通运输局"]
MISSING = ["区大数据局", "区城市建设投资集团", "区国有资本投资运营集团", "区交通发展集团", "区文化旅游发展集团",
           "区产业发展投资集团", "区乡村振兴发展集团"]
CHANGED = {"税郭镇", "孟庄镇", "齐村镇", "中心街街道"}


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Zs:
    monkeypatch.setenv("ZS_USER", "王科长")
    monkeypatch.setenv("ZS_TZ", "Asia/Shanghai")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("ZS_DB", raising=False)
    zs = Zs(str(tmp_path / "zhaoshang.db"))
    zs.ok("init", "--sample")
    yield zs
    dispose_all()


def fill(out: Path, inbox: Path) -> None:
    """What the 20 units send back."""
    for unit in RETURNED:
        if unit != "永安镇":
            shutil.copy(out / f"{WEEK}-{unit}.xlsx", inbox)
    r = Return(inbox / f"{WEEK}-税郭镇.xlsx")
    r.set("ZD-003", "本周进展", "二期厂房主体封顶")
    r.set("ZD-003", "下步计划", "设备进场安装")
    r.set("P-0098", "项目阶段", "签约")
    r.set("P-0098", "签约时间", dt.datetime(2023, 6, 28))
    r.add(**{"项目名称": "碳纤维复材二期", "投资方": "枣庄华源新材料股份有限公司", "总投资（亿元）": 3.5,
             "所属产业链": "新材料产业链", "项目阶段": "在谈", "本周进展": "首轮洽谈"})
    r.save()
    r = Return(inbox / f"{WEEK}-孟庄镇.xlsx")
    r.set("ZD-009", "项目阶段", "开工")
    r.set("ZD-009", "开工时间", dt.datetime(2023, 6, 29))
    r.set("ZD-047", "本周进展", "二号车间设备调试")
    r.save()
    r = Return(inbox / f"{WEEK}-齐村镇.xlsx")
    r.set("ZD-010", "项目名称", "锂电隔膜材料二期项目")  # a locked cell, edited
    r.set("ZD-010", "本周进展", "lost with its row")
    r.set("ZD-025", "本周进展", "中药饮片车间投产准备")
    r.save()
    r = Return(inbox / f"{WEEK}-中心街街道.xlsx")
    code = r.codes[0]
    r.set(code, "存在问题", "临时用电接入待协调")
    r.set(code, "解决时限", dt.datetime(2023, 7, 15))
    r.trip(**{"外出日期": dt.datetime(2023, 6, 27), "带队领导": "党工委书记", "主要领导带队": "是",
              "目的地": "深圳", "走访项目": 2, "参与洽谈": 1})
    r.save()


@pytest.mark.sqlite_only
def test_the_weekly_loop_on_the_sample_district(sample: Zs, tmp_path: Path) -> None:
    zs = sample
    out, inbox = tmp_path / "out", tmp_path / "inbox"
    made = zs.ok("returns", "template", "--as-of", "2023-06-28", "--out", str(out))
    assert "已写入 27 个报表模板" in made.err and "6月30日（周五）17:00" in made.err
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{WEEK}-{u}.xlsx" for u in [*RETURNED, *MISSING])
    inbox.mkdir()
    zs.ok("returns", "template", "--as-of", "2023-06-21", "--unit", "永安镇", "--out", str(inbox))  # last week's
    r = Return(inbox / "2023-W25-永安镇.xlsx")
    r.set(r.codes[0], "本周进展", "已洽谈三轮")
    r.save()
    fill(out, inbox)
    (inbox / "说明.docx").write_bytes(b"PK\x03\x04 not a workbook")
    zs.ok("export", str(inbox / "汇总.xlsx"))  # a workbook that is no return and names no unit
    ids = {p["code"]: p for p in zs.json("projects", "list")}

    first = zs("returns", "collect", str(inbox), "--as-of", "2023-06-30", "--received-at", "2023-06-30 15:00")
    assert first.code == 1, first  # a refused return and a rejected row
    err = first.err
    assert ("2023-W25-永安镇.xlsx：退回 — 2023-W25-永安镇.xlsx:模板信息!B6 "
            "这是2023年第25周的报表，本次收取2023年第26周的报表") in err and "--as-of 2023-06-23" in err
    assert (f"{WEEK}-齐村镇.xlsx:项目台账!C34 锂电隔膜材料二期项目 — "
            "锁定的项目名称被改动（原为“锂电隔膜材料项目”）") in err
    assert "说明.docx：跳过 — 不是表格文件" in err
    assert "汇总.xlsx：跳过 — 不是报表模板，也看不出是哪个单位的报表（要按普通台账导入请加 --plain）" in err
    assert (f"{WEEK}-税郭镇.xlsx：税郭镇 2023年第26周，按时（06-30 15:00 收到） — "
            "新增项目 1、项目有变化 1、本周进展 2") in err
    assert "P-0098“康复器械项目”：阶段 线索 → 签约，签约时间 （空） → 2023-06-28" in err
    assert "收表 2023年第26周：22 个文件 — 收下 19（其中更正 0），已收过 0，退回 1，跳过 2" in err
    assert "尚未报送的单位 8 个：永安镇、区大数据局" in err

    # the ledger
    after = {p["code"]: p for p in zs.json("projects", "list")}
    assert after["P-0098"]["stage"] == "signed" and after["P-0098"]["signed_on"] == "2023-06-28"
    assert after["ZD-009"]["stage"] == "started" and after["ZD-009"]["started_on"] == "2023-06-29"
    assert after["ZD-010"]["name"] == ids["ZD-010"]["name"] == "锂电隔膜材料项目"
    new = [p for code, p in after.items() if code not in ids]
    assert [(p["name"], p["unit"], p["stage"], p["chain"], p["investment_wan"]) for p in new] == \
        [("碳纤维复材二期", "税郭镇", "negotiating", "新材料产业链", 35000)]
    show = zs.json("projects", "show", "ZD-003")
    assert {"week": WEEK, "week_start": "2023-06-26", "progress": "二期厂房主体封顶", "next_step": "设备进场安装"} \
        in show["notes"]
    assert WEEK not in [n["week"] for n in zs.json("projects", "show", "ZD-010")["notes"]]  # its row was refused
    problems = [p for p in zs.json("problems", "list") if p["text"] == "临时用电接入待协调"]
    assert [(p["owner"], p["raised_on"], p["due_on"]) for p in problems] == [("中心街街道", "2023-06-30", "2023-07-15")]
    trips = [t for t in zs.json("trips", "list") if t["date"] == "2023-06-27" and t["unit"] == "中心街街道"]
    assert [(t["destination"], t["visits"], t["is_main_leader"]) for t in trips] == [("深圳", 2, True)]

    # returns status: 7 未报, the wrong week refused
    status = zs.json("returns", "status", "--as-of", "2023-06-30")
    assert [s["unit"] for s in status] == [*RETURNED, *MISSING]  # the official order
    by_unit = {s["unit"]: s["status"] for s in status}
    assert [u for u, s in by_unit.items() if s == "missing"] == MISSING
    assert [u for u, s in by_unit.items() if s == "refused"] == ["永安镇"]
    assert {u for u, s in by_unit.items() if s == "on_time"} == CHANGED
    assert sum(s == "unchanged" for s in by_unit.values()) == 15
    shui = next(s for s in status if s["unit"] == "税郭镇")
    assert shui["received_at"] == "2023-06-30T07:00:00+00:00" and shui["file"] == f"{WEEK}-税郭镇.xlsx"
    assert shui["changes"]["projects_new"] == 1 and shui["changes"]["notes"] == 2
    table = zs.ok("returns", "status", "--as-of", "2023-06-30").out
    assert "应报27个单位，截至7月2日（周日）24:00已报19个（按时4个、迟报0个、无变化15个），退回1个，未报7个。" in table

    remind = zs.ok("returns", "status", "--as-of", "2023-06-30", "--remind").out
    assert remind.startswith("【催报】枣庄市市中区招商引资项目周报表（2023年第26周）"
                             "报送截止时间为6月30日（周五）17:00。")
    assert f"以下7个单位已超过截止时间，尚未报送：{'、'.join(MISSING)}。" in remind
    assert ("以下1个单位的报表被退回，请按说明修改后重报："
            "永安镇（这是2023年第25周的报表，本次收取2023年第26周的报表）。") in remind

    # the second collect: nothing new
    before = dump(zs.db)
    again = zs("returns", "collect", str(inbox), "--as-of", "2023-06-30", "--received-at", "2023-06-30 15:00")
    assert dump(zs.db) == before
    assert again.err.count("已收过（06-30 15:00），未重复导入") == 19 and "（此前已退回过，未重复记录）" in again.err
    assert "收下 0（其中更正 0），已收过 19，退回 1，跳过 2" in again.err

    # 永安镇 sends this week's sheet late; 税郭镇 corrects its signing day
    late = tmp_path / "late"
    late.mkdir()
    shutil.copy(out / f"{WEEK}-永安镇.xlsx", late)
    r = Return(late / f"{WEEK}-永安镇.xlsx")
    r.set(r.codes[0], "本周进展", "已洽谈三轮")
    r.save()
    shutil.copy(inbox / f"{WEEK}-税郭镇.xlsx", late / "税郭镇更正.xlsx")
    r = Return(late / "税郭镇更正.xlsx")
    r.set("P-0098", "签约时间", dt.datetime(2023, 6, 27))
    r.save()
    fixed = zs.ok("returns", "collect", str(late), "--as-of", "2023-06-30", "--received-at", "2023-06-30 18:30")
    assert f"{WEEK}-永安镇.xlsx：永安镇 2023年第26周，迟报（06-30 18:30 收到） — 本周进展 1" in fixed.err
    assert "税郭镇更正.xlsx：税郭镇 2023年第26周，迟报（06-30 18:30 收到），更正 06-30 15:00 收到的报表" in fixed.err
    assert "P-0098“康复器械项目”：签约时间 2023-06-28 → 2023-06-27" in fixed.err
    status = {s["unit"]: s for s in zs.json("returns", "status", "--as-of", "2023-06-30")}
    assert status["永安镇"]["status"] == "late"
    assert status["税郭镇"]["status"] == "on_time" and status["税郭镇"]["corrected_at"] == "2023-06-30T10:30:00+00:00"
    assert status["税郭镇"]["file"] == "税郭镇更正.xlsx"

    # the dispatch: 报送情况 and progress
    week = zs.ok("report", "--week", "--as-of", "2023-06-30").out
    assert (f"报送情况：应报27个单位，按时报送19个，迟报1个（永安镇），未报7个（{'、'.join(MISSING)}）。") in week
    lines = [line for line in week.splitlines() if line.startswith(("ZD-003 ", "ZD-047 ", "ZD-025 "))]
    assert any("中环智能制造产业园" in x and WEEK in x and "二期厂房主体封顶" in x and "设备进场安装" in x
               for x in lines)
    assert any("二号车间设备调试" in x for x in lines) and any("中药饮片车间投产准备" in x for x in lines)
    report = json.loads(zs.ok("report", "--week", "--as-of", "2023-06-30", "--format", "json").out)
    assert {k: report["totals"][k] for k in ("returns_on_time", "returns_late", "returns_missing")} == \
        {"returns_on_time": 19, "returns_late": 1, "returns_missing": 7}
    rows = {r["unit"]: r for r in report["by_unit"]}
    assert rows["永安镇"]["returns_late"] == rows["区大数据局"]["returns_missing"] == 1
    assert rows["税郭镇"]["returns_on_time"] == 1
    assert rows["区委区政府"]["returns_missing"] is None  # the leadership owes none
    progress = {p["code"]: p for p in report["lists"]["progress"]}
    assert progress["ZD-003"]["progress"] == "二期厂房主体封顶" and progress["ZD-003"]["marshal"] is True
