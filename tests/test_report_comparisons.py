"""同比, 环比 and 到位资金 on generated ledgers, computed here apart from the report code: for every week
and every month of a year, the report's `totals`, `last_year` and `previous` (and each unit's) equal a
count made straight from the generated milestones and funds.

The rules restated here: a stage counts in a window on its first dated done milestone (a day date
before a month date of the same month); a month-precision date counts as its month's last day and
never in a week; funds count by month the same way; `last_year` is the same ISO week of the previous
ISO year (or the same calendar month a year earlier), `previous` the window just before.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.config import database_url
from zhaoshang.db.engine import dispose_all, session_scope
from zhaoshang.reports import build

YEAR = 2023
BUCKETS = {"new_planned": ("planned",), "new_leads": ("lead",), "new_signed": ("signed",),
           "new_started": ("ready", "started"), "new_producing": ("producing",), "new_registered": ("registered",)}
KINDS = ("planned", "lead", "negotiating", "signed", "ready", "started", "producing", "registered")
SPAN = (dt.date(YEAR - 1, 1, 1), dt.date(YEAR, 12, 31))

dates = st.one_of(
    st.dates(*SPAN).map(lambda d: (d, "day")),
    st.dates(*SPAN).map(lambda d: (d.replace(day=1), "month")),
)
project = st.fixed_dictionaries({
    "unit": st.sampled_from([1, 2, 3, None]),
    "wan": st.sampled_from([None, 5000, 10000, 150000]),
    "usd": st.sampled_from([None, None, 800]),
    "milestones": st.lists(st.tuples(st.sampled_from(KINDS), dates), max_size=5),
    "funds": st.dictionaries(st.tuples(st.dates(*SPAN).map(lambda d: d.replace(day=1)),
                                       st.sampled_from(["outside", "inside", "foreign"])),
                             st.integers(1, 5000), max_size=4),
})
ledgers = st.lists(project, min_size=1, max_size=12)


def write(path: Path, projects: list[dict]) -> None:
    con = sqlite3.connect(path)
    for table in ("funds", "milestone", "project"):
        con.execute(f"DELETE FROM {table}")
    for i, p in enumerate(projects, 1):
        con.execute("INSERT INTO project (id, code, name, investment_wan, investment_usd_wan, unit_id, marshal, stage,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 'lead', '2023-01-01 00:00:00',"
                    " '2023-01-01 00:00:00')", (i, f"G-{i:03d}", f"项目{i}", p["wan"], p["usd"], p["unit"]))
        for kind, (day, precision) in p["milestones"]:
            con.execute("INSERT INTO milestone (project_id, kind, done, done_on, precision) VALUES (?, ?, 1, ?, ?)",
                        (i, kind, day.isoformat(), precision))
        for (month, source), amount in p["funds"].items():
            con.execute("INSERT INTO funds (project_id, month, source, amount) VALUES (?, ?, ?, ?)",
                        (i, month.isoformat(), source, amount))
    con.commit()
    con.close()


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def counts_in(day: dt.date, precision: str, start: dt.date, cutoff: dt.date, week: bool) -> bool:
    if precision == "month":
        return not week and start <= month_end(day) <= cutoff
    return start <= day <= cutoff


def figures(projects: list[dict], start: dt.date, cutoff: dt.date, week: bool, unit: object = "all") -> dict:
    """The window's figures straight from the generated rows."""
    out = dict.fromkeys([*BUCKETS, "new_signed_wan", "new_signed_usd_wan", "new_started_wan",
                         "new_started_usd_wan", "funds_wan", "funds_usd_wan"], 0)
    for p in projects:
        if unit != "all" and p["unit"] != unit:
            continue
        for key, kinds in BUCKETS.items():
            dated = [(d, prec) for k, (d, prec) in p["milestones"] if k in kinds]
            if not dated:
                continue
            first = min(dated, key=lambda x: (x[0].year, x[0].month, 32 if x[1] == "month" else x[0].day))
            if counts_in(*first, start, cutoff, week):
                out[key] += 1
                if key in ("new_signed", "new_started"):
                    out[f"{key}_wan"] += p["wan"] or 0
                    out[f"{key}_usd_wan"] += p["usd"] or 0
        for (month, source), amount in p["funds"].items():
            if counts_in(month, "month", start, cutoff, week):
                out["funds_usd_wan" if source == "foreign" else "funds_wan"] += amount
    return out


def pct(now: int, before: int) -> float | None:
    if not before:
        return None
    return float((Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def check(report: dict, projects: list[dict], windows: dict[str, tuple[dt.date, dt.date]], week: bool) -> None:
    for key, (start, cutoff) in windows.items():
        expected = figures(projects, start, cutoff, week)
        got = report[key]
        assert {k: got[k] for k in expected} == expected, (key, start, cutoff)
        for row in report["by_unit"]:
            unit = {"甲镇": 1, "乙局": 2, "丙公司": 3, None: None}[row["unit"]]
            mine = row if key == "totals" else row[key]
            assert {k: mine[k] for k in expected} == figures(projects, start, cutoff, week, unit), (key, row["unit"])
    now = figures(projects, *windows["totals"], week)
    for key in ("last_year", "previous"):
        before = figures(projects, *windows[key], week)
        assert {k: report["growth"][key][k] for k in now} == {k: pct(now[k], before[k]) for k in now}, key


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(projects=ledgers)
def test_year_on_year_and_period_on_period_of_every_week_and_month(template_db: Path, tmp_path: Path,
                                                                    projects: list[dict]) -> None:
    path = tmp_path / "generated.db"
    if not path.exists():
        shutil.copy(template_db, path)
        con = sqlite3.connect(path)
        con.executemany("INSERT INTO unit (id, name, kind, sort_order) VALUES (?, ?, ?, ?)",
                        [(1, "甲镇", "town", 1), (2, "乙局", "department", 2), (3, "丙公司", "soe", 3)])
        con.commit()
        con.close()
    write(path, projects)
    try:
        with session_scope(database_url(str(path))) as session:
            def report(kind: str, day: dt.date) -> dict:
                return build.report(session, kind, day, chart=False).json()

            for month in range(1, 13):
                first = dt.date(YEAR, month, 1)
                previous = (first - dt.timedelta(days=1)).replace(day=1)
                windows = {"totals": (first, month_end(first)),
                           "last_year": (first.replace(year=YEAR - 1), month_end(first.replace(year=YEAR - 1))),
                           "previous": (previous, month_end(previous))}
                check(report("month", month_end(first)), projects, windows, week=False)
            monday = dt.date.fromisocalendar(YEAR, 1, 1)
            while monday.year <= YEAR:
                iso_year, number, _ = monday.isocalendar()
                try:
                    then = dt.date.fromisocalendar(iso_year - 1, number, 1)
                except ValueError:
                    then = dt.date.fromisocalendar(iso_year - 1, 52, 1)
                sunday = monday + dt.timedelta(days=6)
                windows = {"totals": (monday, sunday), "last_year": (then, then + dt.timedelta(days=6)),
                           "previous": (monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))}
                check(report("week", sunday), projects, windows, week=True)
                monday += dt.timedelta(days=7)
    finally:
        dispose_all()
