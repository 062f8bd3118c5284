"""The sample district (sample_data/): it loads clean, re-imports as no change, and its figures are the
seed report's, computed here straight from the ledger with SQL."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from conftest import Zs
from zhaoshang.db.engine import dispose_all

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "sample_data" / "shizhong-2023.xlsx"
WINDOW = ("2023-04-15", "2023-06-30")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    run = Zs(str(path))("init", "--sample")
    assert run.code == 0, run
    assert "新增 1195，更新 0，未变化 0，拒绝 0" in run.err  # 656 ledger rows and 539 review rows
    assert "存在问题：新增 20，更新 0，未变化 0" in run.err
    assert "注意" not in run.err and "错误" not in run.err
    dispose_all()
    return path


@pytest.fixture
def sample(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Zs:
    path = tmp_path / "sample.db"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("ZS_USER", "测试员")
    yield Zs(str(path))
    dispose_all()


def one(db: Path, query: str, *args: object) -> tuple:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, args).fetchone()


def test_sample_district_lists(sample: Zs) -> None:
    projects = sample.json("projects", "list")
    assert len(projects) == 546
    named = {p["name"]: p for p in projects}
    assert named["中环智能制造产业园"] == {
        "code": "ZD-003", "name": "中环智能制造产业园",
        "investor": "中环智能制造（山东）有限公司", "investment_wan": 600000, "investment_usd_wan": None,
        "chain": "高端装备产业链", "unit": "税郭镇", "stage": "started", "signed_on": "2022-09-16", "ready_on": None,
        "started_on": "2023-06-27", "produced_on": None, "marshal": True,
        # the 推进表's keys: the sample ledger has none of its columns
        "leaders": [], "support_units": [], "scope": None, "remark": None, "planned_completion_on": None,
        "completed_on": None, "plan_wan": {}, "completed_wan": {}}
    assert named["万达广场"]["investment_wan"] == 200000
    assert named["晟达菲尔高端乳制品产业园"]["investment_wan"] == 103000
    units = sample.json("units", "list")
    assert [u["name"] for u in units[:11]] == ["中心街街道", "垎塘街道", "矿区街道", "文化路街道", "龙山路街道",
                                                "光明路街道", "税郭镇", "孟庄镇", "齐村镇", "永安镇", "西王庄镇"]
    assert [u["kind"] for u in units].count("town") == 11
    assert [u["kind"] for u in units].count("department") == 10 and [u["kind"] for u in units].count("soe") == 6
    assert units[-1] == {"name": "区委区政府", "kind": "leadership", "leader": "区委书记、区长", "sort_order": 28,
                         "class": None}
    chains = sample.json("chains", "list")
    assert len(chains) == 10 and all(c["chief"] and c["anchor_firm"] and c["lead_unit"] for c in chains)


def test_importing_the_sample_again_changes_nothing(sample: Zs) -> None:
    report = json.loads(sample.ok("import", str(WORKBOOK), "--format", "json").out)
    assert (report["inserted"], report["updated"], report["unchanged"], report["rejected"]) == (0, 0, 1195, 0)
    assert report["warnings"] == [] and report["errors"] == []
    assert report["problems"] == {"inserted": 0, "updated": 0, "unchanged": 20}
    assert [(r["code"], r["failed"], len(r["missing"])) for r in report["unreviewed"]] == [
        ("ZD-015", ["能耗"], 0), ("ZD-044", [], 2), ("ZD-058", [], 8)]
    assert report["unreviewed_count"] == 3


def test_the_seed_figures_hold(sample: Zs) -> None:
    db = Path(sample.db)
    # 25 projects signed in the campaign's window, ten of them on 2023-06-26
    assert one(db, "SELECT count(DISTINCT project_id) FROM milestone WHERE kind = 'signed' AND done "
                   "AND precision = 'day' AND done_on BETWEEN ? AND ?", *WINDOW) == (25,)
    assert one(db, "SELECT count(*) FROM milestone WHERE kind = 'signed' AND done AND done_on = '2023-06-26'") == (10,)
    # 18 started or ready, each counted once on the earlier of its two dates
    assert one(db, "SELECT count(*) FROM (SELECT project_id, min(done_on) AS first FROM milestone "
                   "WHERE kind IN ('ready', 'started') AND done AND done_on IS NOT NULL AND precision = 'day' "
                   "GROUP BY project_id) WHERE first BETWEEN ? AND ?", *WINDOW) == (18,)
    # ten started on 2023-06-27, worth 163 亿元
    assert one(db, "SELECT count(*), sum(p.investment_wan) FROM milestone m JOIN project p ON p.id = m.project_id "
                   "WHERE m.kind = 'started' AND m.done AND m.done_on = '2023-06-27'") == (10, 1_630_000)
    # 229 leads in the window
    assert one(db, "SELECT count(DISTINCT project_id) FROM milestone WHERE kind = 'lead' AND done "
                   "AND done_on BETWEEN ? AND ?", *WINDOW) == (229,)
    # 16 marshal projects, each at least 10 亿元, across the 10 chains
    assert one(db, "SELECT count(*), count(DISTINCT chain_id), min(investment_wan) FROM project WHERE marshal") == (
        16, 10, 100_000)
    # 14 trips by the main leaders in the first half, all inside the window: 45 visits, 6 negotiations
    assert one(db, "SELECT count(*), sum(visits), sum(negotiations), min(date), max(date) FROM trip t "
                   "JOIN unit u ON u.id = t.unit_id WHERE t.is_main_leader AND u.kind = 'leadership' "
                   "AND date BETWEEN '2023-01-01' AND '2023-06-30'") == (14, 45, 6, "2023-04-18", "2023-06-24")
    assert one(db, "SELECT count(*) FROM trip WHERE is_main_leader AND date > '2023-06-30'") == (0,)
    # nothing more up to the campaign's end: no stage or lead dated 2023-07-01 .. 2023-07-23
    assert one(db, "SELECT count(*) FROM milestone WHERE done AND done_on > '2023-06-30'") == (0,)
    # the campaign and its targets; the district's name for titles
    assert one(db, "SELECT name, start_on, end_on FROM campaign") == ("百日会战", "2023-04-15", "2023-07-23")
    assert one(db, "SELECT count(DISTINCT unit_id), count(DISTINCT metric) FROM target") == (27, 4)
    assert one(db, "SELECT value FROM setting WHERE key = 'district'") == ("枣庄市市中区",)
    # background: producing, foreign, overdue plans on 2023-06-30, month-only dates, a terminated project
    assert one(db, "SELECT count(*) FROM project WHERE stage = 'producing'") == (6,)  # 2 of them from 2022's sheet
    assert one(db, "SELECT count(*) FROM project WHERE investment_usd_wan IS NOT NULL") == (5,)
    assert one(db, "SELECT count(*) FROM milestone WHERE NOT done AND planned_precision = 'day' "
                   "AND planned_on < '2023-06-30'") == (3,)
    assert one(db, "SELECT count(*) FROM milestone WHERE precision = 'month' AND kind != 'registered'") == (5,)
    assert one(db, "SELECT count(*) FROM project WHERE stage = 'terminated'") == (1,)


def test_the_sample_reviews_and_problems(sample: Zs) -> None:
    db = Path(sample.db)
    # 联审: 54 projects of 2023 reviewed on the eight criteria (two of them in part), two in negotiation failed
    # one; and 2022's 14, all passed
    assert one(db, "SELECT count(*), count(DISTINCT project_id) FROM review") == (539, 68)
    assert one(db, "SELECT count(*) FROM review WHERE verdict = 'conditional'") == (5,)
    failed = sqlite3.connect(db).execute(
        "SELECT p.code, p.stage, r.criterion FROM review r JOIN project p ON p.id = r.project_id "
        "WHERE r.verdict = 'fail' ORDER BY p.code").fetchall()
    assert failed == [("ZD-015", "signed", "能耗"), ("ZD-016", "negotiating", "能耗"),
                      ("ZD-029", "negotiating", "投资强度")]
    # every review was made before its project signed
    assert one(db, "SELECT count(*) FROM review r JOIN milestone m ON m.project_id = r.project_id "
                   "AND m.kind = 'signed' AND m.done WHERE r.reviewed_on > m.done_on") == (0,)
    year = sample.json("report", "--year", "--as-of", "2023-12-31")["lists"]["signed_unreviewed"]
    assert [(r["code"], r["failed"], r["missing"][:1]) for r in year] == [
        ("ZD-015", ["能耗"], []), ("ZD-058", [], ["产业准入"]), ("ZD-044", [], ["科技研发能力"])]
    # 存在问题: 20 problems (one cell numbers two), owned by the sample's own units
    assert one(db, "SELECT count(*), count(DISTINCT project_id), count(owner_unit_id) FROM problem") == (20, 19, 20)
    assert one(db, "SELECT count(*) FROM problem WHERE resolved_on IS NOT NULL") == (6,)
    assert one(db, "SELECT count(*) FROM problem WHERE due_on IS NULL") == (1,)  # 长期
    assert one(db, "SELECT due_on FROM problem WHERE text = '土地组卷报批进度慢'") == ("2023-07-31",)  # 2023年7月


def test_weekly_overdue_problems_per_unit_equal_a_count_made_apart(sample: Zs) -> None:
    """`zs report --week --as-of 2023-06-30`: problems_overdue per unit is the number of problems the unit
    owns whose deadline has passed and that were not resolved by that day."""
    db = Path(sample.db)
    with sqlite3.connect(db) as conn:
        apart = dict(conn.execute(
            "SELECT u.name, count(x.id) FROM unit u LEFT JOIN problem x ON x.owner_unit_id = u.id "
            "AND x.due_on < '2023-06-30' AND (x.resolved_on IS NULL OR x.resolved_on > '2023-06-30') "
            "AND (x.raised_on IS NULL OR x.raised_on <= '2023-06-30') GROUP BY u.id").fetchall())
        open_apart = conn.execute(
            "SELECT count(*) FROM problem WHERE (resolved_on IS NULL OR resolved_on > '2023-06-30') "
            "AND (raised_on IS NULL OR raised_on <= '2023-06-30')").fetchone()[0]
    week = sample.json("report", "--week", "--as-of", "2023-06-30")
    shown = {r["unit"]: r["problems_overdue"] for r in week["by_unit"]}
    assert shown == apart and sum(apart.values()) == week["totals"]["problems_overdue"] == 5
    assert week["totals"]["problems_open"] == open_apart == 14
    assert (week["totals"]["problems_raised"], week["totals"]["problems_resolved"]) == (7, 2)
    late = week["lists"]["problems_overdue"]
    assert [(r["code"], r["owner"], r["days_late"]) for r in late] == [
        ("ZD-020", "永安镇", 30), ("ZD-015", "区发展和改革局", 15), ("ZD-032", "区工业和信息化局", 10),
        ("ZD-058", "西王庄镇", 10), ("ZD-040", "区商务局", 5)]
    # A week earlier the ones due later were not overdue yet; those raised later did not exist.
    earlier = sample.json("report", "--week", "--as-of", "2023-06-21")["totals"]
    assert (earlier["problems_overdue"], earlier["problems_open"]) == (4, 9)
    june = sample.json("report", "--month", "--as-of", "2023-06-30")["totals"]
    assert (june["problems_resolved"], june["problems_resolved_on_time"], june["problems_resolved_late"]) == (5, 3, 2)


def test_the_committed_workbook_is_what_the_script_makes() -> None:
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "sample_data" / "make_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == WORKBOOK.read_bytes()


def test_the_sample_exports_and_imports_back_exactly(sample: Zs, template_db: Path, tmp_path: Path) -> None:
    from test_export import snapshot

    out = tmp_path / "导出.xlsx"
    sample.ok("export", str(out))
    target = tmp_path / "target.db"
    shutil.copy(template_db, target)
    run = Zs(str(target))("import", str(out))
    assert run.code == 0, run
    dispose_all()
    assert snapshot(str(target)) == snapshot(sample.db)


def _postgres() -> str | None:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", connect_timeout=2):
            return "postgresql+psycopg://postgres@127.0.0.1/"
    except Exception:
        return None


@pytest.mark.skipif(_postgres() is None, reason="no PostgreSQL server at 127.0.0.1:5432")
def test_the_sample_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    name = f"zs_excel_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{_postgres()}{name}"
    monkeypatch.setenv("ZS_USER", "测试员")
    try:
        zs = Zs(url)
        run = zs("init", "--sample")
        assert run.code == 0, run
        assert "新增 1195" in run.err
        projects = zs.json("projects", "list")
        assert len(projects) == 546
        again = json.loads(zs.ok("import", str(WORKBOOK), "--format", "json").out)
        assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 1195)
        overdue = zs.json("report", "--week", "--as-of", "2023-06-30")["totals"]["problems_overdue"]
        assert overdue == 5
        from sqlalchemy import text

        from zhaoshang.db.engine import connect

        with connect(url) as c:
            event = c.execute(text("SELECT new FROM event WHERE entity = 'project' ORDER BY id LIMIT 1")).scalar()
        data = json.loads(event)
        assert data["code"] == "ZD-001" and data["marshal"] is False and data["milestones"][0]["kind"] == "signed"
    finally:
        dispose_all()
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_2023_compares_with_2022(sample: Zs) -> None:
    """2022 in the sample: 2023's bulletins show 同比, and the campaign's 229 leads pass 2022's whole year."""
    card = sample.json("scorecard", "--as-of", "2023-06-30")
    assert card["totals"]["new_leads"] == 229
    year_2022 = sample.json("report", "--year", "--as-of", "2022-12-31")["totals"]
    assert year_2022["new_leads"] == 186 < 229
    assert (year_2022["new_signed"], year_2022["funds_wan"], year_2022["funds_usd_wan"]) == (31, 55300, 600)
    assert card["last_year"]["new_leads"] == 57  # the same dates of 2022
    assert card["compared_periods"]["last_year"] == {"start": "2022-04-15", "end": "2022-07-23", "as_of": "2022-06-30"}

    month = sample.json("report", "--month", "--as-of", "2023-06-30")
    pick = ("new_signed", "new_started", "new_leads", "funds_wan", "funds_usd_wan", "new_registered")
    assert [month["totals"][k] for k in pick] == [14, 15, 93, 43200, 1300, 6]
    assert [month["last_year"][k] for k in pick] == [4, 4, 25, 6900, 200, 2]
    assert [month["previous"][k] for k in pick] == [7, 3, 78, 27200, 0, 2]
    assert month["growth"]["last_year"]["new_signed"] == 250.0 and month["growth"]["previous"]["funds_usd_wan"] is None

    year = sample.ok("report", "--year", "--as-of", "2023-06-30", "--format", "md").out
    assert "新增项目线索275条，同比增长164.4%（去年同期104条），已超过去年全年总量（186条）" in year
    assert "当年签约当年开工率45.7%" in year
    assert sample.json("report", "--year", "--as-of", "2023-06-30")["same_year_start_rate"] == 0.457

    # a campaign may target funds in place (金额)
    sample.ok("campaign", "target", "百日会战", "--unit", "税郭镇", "--metric", "到位资金", "--value", "2亿")
    unit = next(u for u in sample.json("scorecard", "--as-of", "2023-06-30")["units"] if u["unit"] == "税郭镇")
    assert (unit["metrics"]["funds_wan"]["actual"], unit["metrics"]["funds_wan"]["target"]) == (30700, 20000)
