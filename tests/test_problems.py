"""问题协调: problems with an owner and a deadline; open, overdue and resolved at a date."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from conftest import Zs, dump

AS_OF = dt.date(2023, 6, 30)


def _session(ledger: str, write: bool = False):  # type: ignore[no-untyped-def]
    from zhaoshang.config import database_url
    from zhaoshang.db.engine import session_scope

    return session_scope(database_url(ledger), write=write)


def _ctx(session):  # type: ignore[no-untyped-def]
    from zhaoshang.services.context import Ctx

    return Ctx(session=session, actor="导入", source="台账.xlsx", today=dt.date(2023, 7, 1),
               now=dt.datetime(2023, 7, 1, tzinfo=dt.UTC))


def _ids(ledger: str) -> dict[str, int]:
    from sqlmodel import select

    from zhaoshang.models import Project, Unit

    with _session(ledger) as session:
        return dict(session.exec(select(Project.code, Project.id)).all()) | \
            dict(session.exec(select(Unit.name, Unit.id)).all())


def test_add_list_resolve_and_the_history_shows_them(district: Zs) -> None:
    run = district.ok("problems", "add", "P-001", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-06-20",
                      "--raised", "2023-05-08", "--by", "王科长")
    assert "#1" in run.err
    district.ok("problems", "add", "P-001", "电力增容", "--owner", "区工信局", "--due", "2023年7月",
                "--raised", "2023-06-05")
    rows = district.json("problems", "list", "--as-of", "2023-06-30")
    assert [(r["id"], r["status"], r["days_late"], r["owner"], r["due_on"]) for r in rows] == [
        (1, "overdue", 10, "税郭镇", "2023-06-20"), (2, "open", None, "区工信局", "2023-07-31")]
    assert rows[0] == {"id": 1, "code": "P-001", "name": "中环智能制造产业园", "text": "用地指标未落实",
                       "owner": "税郭镇", "raised_on": "2023-05-08", "due_on": "2023-06-20", "resolved_on": None,
                       "status": "overdue", "days_late": 10, "resolution": None}
    # Known at 2023-05-31: only the first, not yet due.
    assert [(r["id"], r["status"]) for r in district.json("problems", "list", "--as-of", "2023-05-31")] == [(1, "open")]
    district.ok("problems", "resolve", "1", "--note", "指标已调剂到位", "--on", "2023-06-25")
    rows = district.json("problems", "list", "--as-of", "2023-06-30")
    assert rows[0]["status"] == "resolved" and rows[0]["resolution"] == "指标已调剂到位"
    assert rows[0]["resolved_on"] == "2023-06-25" and rows[0]["days_late"] is None
    # Before it was resolved it was overdue.
    assert district.json("problems", "list", "--overdue", "--as-of", "2023-06-24")[0]["days_late"] == 4
    assert [r["id"] for r in district.json("problems", "list", "--open", "--as-of", "2023-06-30")] == [2]
    assert [r["id"] for r in district.json("problems", "list", "--unit", "区工信局", "--as-of", "2023-06-30")] == [2]
    history = district.ok("projects", "history", "P-001").out
    assert "新增问题 #1：用地指标未落实（责任单位 税郭镇，时限 2023-06-20）" in history
    assert "问题 #1 已解决 2023-06-25" in history and "王科长" in history
    table = district.ok("problems", "list", "--as-of", "2023-06-30").out
    assert "已解决" in table and "未解决" in table


def test_problem_refusals_change_nothing(district: Zs, ledger) -> None:
    district.ok("problems", "add", "P-001", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-06-20",
                "--raised", "2023-05-08")
    before = dump(ledger)
    for args, named in [
        (["problems", "add", "P-001", "环评", "--owner", "区环保局", "--due", "2023-06-20", "--raised", "2023-05-08"],
         "区环保局"),
        (["problems", "add", "P-404", "环评", "--owner", "税郭镇", "--due", "2023-06-20"], "P-404"),
        (["problems", "add", "P-001", "环评", "--owner", "税郭镇", "--due", "2023-06-31"], "2023-06-31"),
        (["problems", "add", "P-001", "环评", "--owner", "税郭镇", "--due", "2023-06-20"], "2023-06-20"),
        (["problems", "add", "P-001", "环评", "--owner", "税郭镇", "--due", "2023-05-01", "--raised", "2023-05-08"],
         "2023-05-01"),
        (["problems", "add", "P-001", "无", "--owner", "税郭镇", "--due", "2023-06-20"], "问题"),
        (["problems", "add", "P-001", "用地指标未落实 。", "--owner", "税郭镇", "--due", "2023-06-20"], "#1"),
        (["problems", "resolve", "9", "--note", "好了"], "#9"),
        (["problems", "resolve", "1", "--note", "好了", "--on", "2023-05-01"], "2023-05-08"),
        (["problems", "resolve", "1", "--note", " "], "--note"),
    ]:
        run = district(*args)
        assert run.code == 1 and named in run.err and len(run.err.strip().splitlines()) == 1, run
    assert dump(ledger) == before
    district.ok("problems", "resolve", "1", "--note", "好了", "--on", "2023-06-01")
    run = district("problems", "resolve", "1", "--note", "又好了")
    assert run.code == 1 and "2023-06-01" in run.err


def test_record_problem_matches_by_project_and_normalised_text(district: Zs, ledger) -> None:
    from zhaoshang.services.problems import ProblemRow, record_problem, record_problems

    ids = _ids(ledger)
    with _session(ledger, write=True) as session:
        ctx = _ctx(session)
        land = "土地手续未办结，需协调自然资源局"
        assert record_problem(ctx, ids["P-001"], land, ids["税郭镇"], dt.date(2023, 6, 15))
        assert not record_problem(ctx, ids["P-001"], " 土地手续未办结，需协调自然资源局。", ids["税郭镇"],
                                  dt.date(2023, 6, 15))
        assert not record_problem(ctx, ids["P-001"], "土地手续未办结，需协调自然资源局", None, None)
        assert not record_problem(ctx, ids["P-001"], "无", ids["税郭镇"], dt.date(2023, 6, 15))
        assert not record_problem(ctx, ids["P-001"], None, None, None)
    after_first = dump(ledger)
    rows = [ProblemRow(ids["P-001"], "土地手续未办结，需协调自然资源局", ids["税郭镇"], dt.date(2023, 6, 15)),
            ProblemRow(ids["P-001"], "暂无", None, None),
            ProblemRow(ids["P-001"], "进场道路未通", None, None),
            ProblemRow(ids["P-001"], "电力增容", ids["区工信局"], dt.date(2023, 7, 10))]
    with _session(ledger, write=True) as session:
        counts = record_problems(_ctx(session), rows)
        assert (counts.inserted, counts.updated, counts.unchanged) == (2, 0, 1)
    twice = dump(ledger)
    assert twice != after_first
    with _session(ledger, write=True) as session:
        counts = record_problems(_ctx(session), rows)
        assert (counts.inserted, counts.updated, counts.unchanged) == (0, 0, 3)
    assert dump(ledger) == twice
    # An updated ledger extends a deadline: the same problem, its due date changed and audited.
    with _session(ledger, write=True) as session:
        assert not record_problem(_ctx(session), ids["P-001"], "电力增容", ids["区工信局"], dt.date(2023, 7, 31))
        # A row naming no owner: the project's unit owns it.
        assert record_problem(_ctx(session), ids["P-001"], "环评批复待办", None, None)
    rows = district.json("problems", "list", "--as-of", "2023-07-01")
    assert [(r["text"], r["due_on"], r["raised_on"], r["owner"]) for r in rows] == [
        ("土地手续未办结，需协调自然资源局", "2023-06-15", None, "税郭镇"), ("进场道路未通", None, None, "区工信局"),
        ("电力增容", "2023-07-31", None, "区工信局"), ("环评批复待办", None, None, "区工信局")]
    history = district.json("projects", "history", "P-001")
    due = [h for h in history if h["entity"] == "problem" and h["field"] == "due_on"]
    assert [(h["old"], h["new"], h["source"]) for h in due] == [("2023-07-10", "2023-07-31", "台账.xlsx")]


def test_overdue_counts_equal_a_count_made_apart(district: Zs, ledger) -> None:
    """Random problems across units; the service's per-unit counts and the overdue list agree with the
    definition applied by hand."""
    from zhaoshang.models import Problem
    from zhaoshang.services.problems import overdue_problems, problem_counts, resolved_on_time

    district.ok("units", "add", "区投促局", "--kind", "department")
    ids = _ids(ledger)
    units = [ids["区工信局"], ids["税郭镇"], ids["区投促局"], None]
    rnd = random.Random(20230630)
    made = []
    base = dt.date(2023, 4, 1)
    with _session(ledger, write=True) as session:
        for i in range(300):
            raised = None if rnd.random() < 0.1 else base + dt.timedelta(days=rnd.randint(0, 120))
            due = None if rnd.random() < 0.1 else (raised or base) + dt.timedelta(days=rnd.randint(0, 60))
            resolved = None
            if rnd.random() < 0.5:
                resolved = (raised or base) + dt.timedelta(days=rnd.randint(0, 90))
            p = Problem(project_id=ids["P-001"], text=f"问题{i}", owner_unit_id=rnd.choice(units),
                        raised_on=raised, due_on=due, resolved_on=resolved)
            session.add(p)
            made.append(p)
    start, end = dt.date(2023, 6, 26), AS_OF  # the ISO week holding 2023-06-30

    def exists(p) -> bool:  # type: ignore[no-untyped-def]
        return p.raised_on is None or p.raised_on <= AS_OF

    def is_open(p) -> bool:  # type: ignore[no-untyped-def]
        return exists(p) and (p.resolved_on is None or p.resolved_on > AS_OF)

    def is_overdue(p) -> bool:  # type: ignore[no-untyped-def]
        return is_open(p) and p.due_on is not None and p.due_on < AS_OF

    expected: dict = {}
    for p in made:
        row = expected.setdefault(p.owner_unit_id, Counter())
        row["problems_raised"] += bool(p.raised_on and start <= p.raised_on <= end)
        row["problems_resolved"] += bool(p.resolved_on and start <= p.resolved_on <= end)
        row["problems_open"] += is_open(p)
        row["problems_overdue"] += is_overdue(p)
    with _session(ledger) as session:
        counts = problem_counts(session, start, end, AS_OF)
        assert counts == {u: {k: row[k] for k in ("problems_raised", "problems_resolved", "problems_open",
                                                  "problems_overdue")} for u, row in expected.items()}
        assert sum(c["problems_overdue"] for c in counts.values()) > 20
        late = overdue_problems(session, AS_OF)
        assert sorted(r["id"] for r in late) == sorted(p.id for p in made if is_overdue(p))
        assert all(r["days_late"] == (AS_OF - dt.date.fromisoformat(r["due_on"])).days > 0 for r in late)
        assert [r["days_late"] for r in late] == sorted((r["days_late"] for r in late), reverse=True)
        on_time = resolved_on_time(session, dt.date(2023, 6, 1), AS_OF)
        for unit in units:
            done = [p for p in made if p.owner_unit_id == unit and p.resolved_on
                    and dt.date(2023, 6, 1) <= p.resolved_on <= AS_OF]
            ok = [p for p in done if p.due_on is None or p.resolved_on <= p.due_on]
            assert on_time.get(unit, {}).get("problems_resolved", 0) == len(done)
            assert on_time.get(unit, {}).get("problems_resolved_on_time", 0) == len(ok)
    cli = district.json("problems", "list", "--overdue", "--as-of", "2023-06-30")
    names = {ids[n]: n for n in ("区工信局", "税郭镇", "区投促局")} | {None: None}
    by_owner = Counter({names[u]: row["problems_overdue"] for u, row in expected.items()})
    assert Counter(r["owner"] for r in cli) == +by_owner
    # --open includes the overdue ones.
    opened = {r["id"] for r in district.json("problems", "list", "--open", "--as-of", "2023-06-30")}
    assert {r["id"] for r in cli} <= opened and len(opened) == sum(r["problems_open"] for r in expected.values())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_table_labels(district: Zs, lang: str) -> None:
    district.ok("problems", "add", "P-001", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-06-20",
                "--raised", "2023-05-08")
    out = district.ok("--lang", lang, "problems", "list", "--as-of", "2023-06-30").out
    assert ("逾期" if lang == "zh" else "overdue") in out


def test_a_deadline_extended_and_an_owner_changed(zs: Zs) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("units", "add", "区自然资源局", "--kind", "department")
    zs.ok("add-project", "甲", "--unit", "税郭镇", "--code", "A", "--stage", "signed", "--date", "2023-05-01")
    zs.ok("problems", "add", "A", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-06-20",
          "--raised", "2023-05-08")
    assert [p["status"] for p in zs.json("problems", "list", "--as-of", "2023-06-30")] == ["overdue"]
    run = zs.ok("problems", "update", "1", "--due", "2023-07-31", "--owner", "区自然资源局")
    assert "问题 #1 已修改：责任单位、解决时限" in run.err
    (p,) = zs.json("problems", "list", "--as-of", "2023-06-30")
    assert (p["status"], p["owner"], p["due_on"]) == ("open", "区自然资源局", "2023-07-31")
    history = [h["field"] for h in zs.json("projects", "history", "A") if h["entity"] == "problem"]
    assert "due_on" in history and "owner_unit_id" in history
    assert zs("problems", "update", "1", "--due", "2023-05-01").code == 1  # before it was raised
    assert zs("problems", "update", "9", "--due", "2023-08-01").code == 1
