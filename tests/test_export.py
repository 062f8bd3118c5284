"""`zs export`: a workbook a clerk would print, that `zs import` reads back into the same ledger."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Zs
from zhaoshang.db.engine import dispose_all, session_scope
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.dates import LedgerDate
from zhaoshang.vocabulary.stages import STAGES, builtin_stage_words

NOW = dt.datetime(2023, 7, 1, 8, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 1, 1)  # every generated date has come: a date not yet come is refused, or is a plan


def test_export_is_a_printable_workbook(district: Zs, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    district.ok("add-project", "公式项目", "--investor", "=HYPERLINK(\"http://x\")", "--code", "+86-1",
                "--amount", "12.3456亿", "--unit", "税郭镇", "--stage", "在谈", "--note", "@所有人")
    out = tmp_path / "台账.xlsx"
    run = district.ok("export", str(out))
    assert "项目台账 2" in run.err
    wb = load_workbook(out)
    assert wb.sheetnames == ["项目台账", "项目节点", "责任单位", "产业链", "外出招商", "会战目标", "联审", "联审标准",
                             "问题协调", "到位资金", "阶段词", "账本设置"]
    ws = wb["项目台账"]
    today = dt.date.today()
    assert ws["A1"].value == "招商引资项目台账"
    assert ws["A2"].value == f"导出时间：{today.year}年{today.month}月{today.day}日"
    assert "单位：亿元、外资万美元" in [c.value for c in ws[2]]
    assert [c.value for c in ws[3]][:10] == ["序号", "项目编号", "项目名称", "投资方", "总投资（亿元）",
                                             "外资（万美元）",
                                             "所属产业链", "责任单位", "项目阶段", "挂帅项目"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:AA5"  # the 推进表 columns (配合单位 … 建设内容及规模) included
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    # 22 columns do not fit an A4 page at 9 pt: split between column groups, the names repeated, not shrunk
    assert ws.print_title_cols == "$A:$C" and ws.col_breaks.brk and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["E4"].value == 60 and ws["E4"].number_format == "#,##0.00"
    assert ws["E5"].value == 12.3456
    assert ws["E4"].font.name == "宋体" and ws["E4"].border.left.style == "thin"
    # text that Excel would take for a formula stays text
    assert ws["B5"].value == "+86-1" and ws["B5"].data_type == "s"
    assert ws["D5"].value == '=HYPERLINK("http://x")' and ws["D5"].data_type == "s"
    assert ws["AA5"].value == "@所有人" and ws["AA5"].data_type == "s"
    assert ws.column_dimensions["C"].width >= 20  # 中环智能制造产业园 fits
    assert ws["P4"].value == dt.datetime(2023, 5, 20)  # 签约时间 as a date
    assert wb["阶段词"]["A2"].value.endswith("本表无记录")  # an empty sheet says so (above its header)
    # and it reads back into an empty ledger as it was
    other = Zs(str(tmp_path / "other.db"))
    other.ok("init")
    run = other.ok("import", str(out))
    assert other.json("projects", "list") == district.json("projects", "list")
    dispose_all()


# --------------------------------------------------------------------------- round trip


def snapshot(path: str) -> dict[str, list]:
    """Everything a ledger holds that an export carries, by natural keys instead of ids."""
    conn = sqlite3.connect(path)
    q = lambda sql: sorted(conn.execute(sql).fetchall(), key=repr)  # noqa: E731
    data = {
        "unit": q("SELECT name, kind, leader, sort_order, unit_class FROM unit"),
        "chain": q("SELECT c.name, chief, anchor_firm, u.name, c.sort_order FROM chain c "
                   "LEFT JOIN unit u ON u.id = c.lead_unit_id"),
        "project": q("SELECT code, p.name, investor, investment_wan, investment_usd_wan, c.name, u.name, "
                     "source_region, marshal, stage, sector, progress, note FROM project p "
                     "LEFT JOIN chain c ON c.id = p.chain_id LEFT JOIN unit u ON u.id = p.unit_id"),
        "milestone": q("SELECT p.code, kind, planned_on, planned_precision, done, done_on, precision, m.note "
                       "FROM milestone m JOIN project p ON p.id = m.project_id"),
        "trip": q("SELECT u.name, t.leader, is_main_leader, date, destination, region, visits, negotiations, note "
                  "FROM trip t JOIN unit u ON u.id = t.unit_id"),
        "campaign": q("SELECT name, start_on, end_on FROM campaign"),
        "target": q("SELECT c.name, u.name, metric, value FROM target t JOIN campaign c ON c.id = t.campaign_id "
                    "JOIN unit u ON u.id = t.unit_id"),
        "review": q("SELECT p.code, criterion, verdict, reviewer, reviewed_on, r.note FROM review r "
                    "JOIN project p ON p.id = r.project_id"),
        "review_criterion": q("SELECT name, sort_order, valid_from, valid_until FROM review_criterion"),
        "problem": q("SELECT p.code, text, u.name, raised_on, due_on, resolved_on, resolution FROM problem x "
                     "JOIN project p ON p.id = x.project_id LEFT JOIN unit u ON u.id = x.owner_unit_id"),
        "stage_word": q("SELECT word, stage FROM stage_word"),
        "setting": q("SELECT key, value FROM setting WHERE key <> 'ledger_id'"),  # each ledger's own
        "funds": q("SELECT p.code, month, source, amount FROM funds f JOIN project p ON p.id = f.project_id"),
    }
    conn.close()
    return data


CJK = "甲乙丙丁戊己庚辛壬癸中环万达广场高端装备新能源材料产业园项目公司镇街道局区市县有限科技集团"
text = st.text(alphabet=CJK + "ABCxyz0123456789=+-@()（）·、 ", min_size=1, max_size=12).map(str.strip).filter(
    lambda s: bool(s) and s.lower() not in {"nan", "无", "/", "-", "—", "待定", "未定", "暂定", "不详", "未知", "none",
                                            "null", "是", "否"})
maybe = st.none() | text
days = st.dates(dt.date(2021, 1, 1), dt.date(2024, 12, 31))
ledger_dates = st.one_of(days.map(LedgerDate.of), days.map(lambda d: LedgerDate(d.year, d.month)))
BUILTIN = set(builtin_stage_words())
CRITERIA = ["产业准入", "布局规划", "环境保护", "能耗", "投资强度", "利税", "科技研发能力", "人才支撑"]


@st.composite
def ledgers(draw):  # type: ignore[no-untyped-def]
    units = draw(st.lists(text, min_size=1, max_size=4, unique=True))
    chains = draw(st.lists(text, max_size=3, unique=True))
    projects = draw(st.lists(st.fixed_dictionaries({
        "name": text, "investor": maybe, "wan": st.none() | st.integers(0, 10**8),
        "usd": st.none() | st.integers(0, 10**6), "unit": st.none() | st.sampled_from(units),
        "chain": st.none() | st.sampled_from(chains) if chains else st.none(),
        "stage": st.sampled_from([*STAGES, "terminated"]), "date": st.none() | ledger_dates,
        "later": st.lists(st.tuples(st.sampled_from(STAGES), ledger_dates), max_size=2),
        "milestones": st.lists(st.tuples(st.sampled_from(["groundbreaking", "visit", "capacity", "started"]),
                                          st.none() | ledger_dates, st.none() | ledger_dates, maybe), max_size=2),
        "marshal": st.booleans(), "region": maybe, "sector": maybe, "progress": maybe, "note": maybe,
        "reviews": st.lists(st.tuples(st.sampled_from(CRITERIA), st.sampled_from(["pass", "conditional", "fail"]),
                                      days, maybe, maybe), max_size=3),
        "problems": st.lists(st.tuples(text, st.sampled_from(units), days, st.none() | days), max_size=2,
                             unique_by=lambda t: t[0]),
    }), max_size=5))
    trips = draw(st.lists(st.tuples(st.sampled_from(units), days, maybe, st.booleans(), maybe, st.integers(0, 9),
                                    st.integers(0, 9)), max_size=3))
    targets = draw(st.lists(st.tuples(st.sampled_from(units),
                                      st.sampled_from(["new_signed", "new_leads", "new_signed_wan"]),
                                      st.integers(0, 10**6)), max_size=3))
    words = draw(st.lists(st.tuples(st.text(alphabet="摘地挂牌供地", min_size=2, max_size=4)
                                    .filter(lambda w: w not in BUILTIN), st.sampled_from(STAGES)),
                          max_size=2, unique_by=lambda t: t[0]))
    district = draw(maybe)
    criteria = draw(st.none() | st.tuples(days, st.lists(st.sampled_from(["安全生产", *CRITERIA]), min_size=1,
                                                          max_size=4, unique=True)))
    return units, chains, projects, trips, targets, words, district, criteria


def build(path: str, ledger) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from zhaoshang.models import Project, Setting
    from zhaoshang.services import (
        audit,
        campaigns,
        directory,
        milestones,
        problems,
        projects,
        review,
        stages,
        trips,
    )
    from zhaoshang.services.criteria import set_criteria
    from zhaoshang.vocabulary.problems import is_no_problem, problem_key

    units, chains, items, trip_rows, targets, words, district, criteria = ledger
    with session_scope(f"sqlite:///{path}", write=True) as session:
        ctx = Ctx(session=session, actor="测试", source="test", today=TODAY, now=NOW)
        for n, name in enumerate(units):
            directory.add_unit(ctx, name, ["town", "department", "soe", "leadership", "other"][n % 5],
                               leader=name if n % 2 else None, unit_class=["一类", "二类", None][n % 3])
        for n, name in enumerate(chains):
            directory.add_chain(ctx, name, chief="区长" if n % 2 else None, anchor_firm=units[0] if n else None,
                                lead_unit=units[-1] if n % 2 == 0 else None)
        for word, stage in words:
            stages.map_word(ctx, word, stage)
        for n, p in enumerate(items):
            inp = projects.ProjectInput(
                name=p["name"], code=f"T-{n:03d}", investor=p["investor"], investment_wan=p["wan"],
                investment_usd_wan=p["usd"], chain=p["chain"], unit=p["unit"], stage=p["stage"],
                stage_date=p["date"], marshal=p["marshal"], source_region=p["region"], sector=p["sector"],
                progress=p["progress"], note=p["note"])
            projects.add_project(ctx, inp, allow_duplicate=True)  # a ledger may hold twins a clerk allowed
            for stage, when in p["later"]:
                current = session.exec(select(Project.stage).where(Project.code == inp.code)).one()
                if current != "terminated" and STAGES.index(stage) > STAGES.index(current):
                    projects.advance(ctx, inp.code, stage, when)
            for kind, planned, done, note in p["milestones"]:
                if planned or done:
                    milestones.add_milestone(ctx, inp.code, kind, planned=planned, done=done, note=note)
            for criterion, verdict, on, reviewer, note in p["reviews"]:
                review.add_review(ctx, inp.code, criterion, verdict, on=on, reviewer=reviewer, note=note)
            for text_, owner, raised, resolved in p["problems"]:
                if is_no_problem(text_) or any(problem_key(text_) == problem_key(t) for t, *_ in p["problems"]
                                                if t != text_):
                    continue
                problem = problems.add_problem(ctx, inp.code, text_, owner, raised + dt.timedelta(days=30),
                                               raised=raised)
                if resolved is not None and resolved >= raised:
                    problems.resolve_problem(ctx, problem.id, "已解决", resolved)
        for unit, day, leader, main, dest, visits, talks in trip_rows:
            trips.add_trip(ctx, unit, day, leader=leader, main_leader=main, destination=dest, visits=visits,
                           negotiations=talks)
        if targets:
            campaigns.create_campaign(ctx, "百日会战", dt.date(2023, 4, 15), days=100)
            for unit, metric, value in targets:
                campaigns.set_target(ctx, "百日会战", unit, metric, value)
        if criteria:
            set_criteria(ctx, criteria[1], criteria[0])
        if district:
            session.add(Setting(key="district", value=district))
            audit.record(ctx, "setting", 0, "district", None, district)
    dispose_all()


def export_and_import(source: str, target: str, out: Path) -> None:
    from zhaoshang.render.sheetxml import write_ledger
    from zhaoshang.services.export import ledger_tables
    from zhaoshang.services.imports import import_file

    with session_scope(f"sqlite:///{source}") as session:
        write_ledger(out, ledger_tables(session, dt.date(2023, 7, 1)))
    with session_scope(f"sqlite:///{target}", write=True) as session:
        ctx = Ctx(session=session, actor="测试", source="test", today=TODAY, now=NOW)
        result = import_file(ctx, out)
        assert result.rejected == 0, [e.line() for e in result.errors]
    dispose_all()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ledger=ledgers())
def test_export_then_import_into_an_empty_ledger_is_exact(template_db: Path, tmp_path_factory, ledger) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("roundtrip")
    source, target = str(tmp / "source.db"), str(tmp / "target.db")
    shutil.copy(template_db, source)
    shutil.copy(template_db, target)
    build(source, ledger)
    export_and_import(source, target, tmp / "export.xlsx")
    assert snapshot(target) == snapshot(source)
