"""Properties of the reports on generated ledgers.

Every report's totals equal the sum over the projects it lists, by unit and by chain as well; and the
week, month, quarter and year windows partition the year: no project counted twice or lost, and a
month-precision date in no week. An independent reading of the generated milestones gives the same
year lists.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.config import database_url
from zhaoshang.db.engine import dispose_all, session_scope
from zhaoshang.reports import build, metrics, periods
from zhaoshang.vocabulary.dates import LedgerDate

YEAR = 2023
KINDS = ("planned", "lead", "negotiating", "signed", "ready", "started", "producing", "terminated")
LISTS = {"signed": ("signed",), "started": ("ready", "started"), "producing": ("producing",), "leads": ("lead",),
         "planned": ("planned",)}
COUNT = {"signed": "new_signed", "started": "new_started", "producing": "new_producing", "leads": "new_leads",
         "planned": "new_planned"}
MONEY = {"signed": "new_signed", "started": "new_started"}

dates = st.one_of(
    st.none(),
    st.dates(dt.date(YEAR - 1, 12, 1), dt.date(YEAR + 1, 1, 31)).map(lambda d: (d, "day")),
    st.dates(dt.date(YEAR - 1, 12, 1), dt.date(YEAR + 1, 1, 31)).map(lambda d: (d.replace(day=1), "month")),
)
milestone = st.tuples(st.sampled_from(KINDS), dates)
project = st.fixed_dictionaries({
    "unit": st.sampled_from([1, 2, 3, None]),
    "chain": st.sampled_from([1, 2, None]),
    "wan": st.sampled_from([None, 0, 5000, 10000, 99999, 150000, 600000, 1200000]),
    "usd": st.sampled_from([None, None, 800]),
    "marshal": st.booleans(),
    "milestones": st.lists(milestone, max_size=5),
})
ledgers = st.lists(project, max_size=14)


def write(path: Path, projects: list[dict]) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("DELETE FROM milestone")
    con.execute("DELETE FROM project")
    for i, p in enumerate(projects, 1):
        con.execute("INSERT INTO project (id, code, name, investment_wan, investment_usd_wan, unit_id, chain_id,"
                    " marshal, stage, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'lead',"
                    " '2023-01-01 00:00:00', '2023-01-01 00:00:00')",
                    (i, f"G-{i:03d}", f"项目{i}", p["wan"], p["usd"], p["unit"], p["chain"], p["marshal"]))
        for kind, when in p["milestones"]:
            day, precision = when if when else (None, None)
            con.execute("INSERT INTO milestone (project_id, kind, done, done_on, precision) VALUES (?, ?, 1, ?, ?)",
                        (i, kind, day.isoformat() if day else None, precision))
    con.commit()
    con.close()


def expected_year(projects: list[dict]) -> dict[str, dict[str, LedgerDate]]:
    """Straight from the generated milestones: each list's projects in the year, with their date."""
    out: dict[str, dict[str, LedgerDate]] = {key: {} for key in LISTS}
    for i, p in enumerate(projects, 1):
        for key, kinds in LISTS.items():
            dated = [LedgerDate.stored(d, prec) for k, w in p["milestones"] if k in kinds and w for d, prec in [w]]
            if dated:
                first = min(dated, key=lambda x: x.sort_key())  # type: ignore[union-attr]
                if first.year == YEAR:  # type: ignore[union-attr]
                    out[key][f"G-{i:03d}"] = first  # type: ignore[assignment]
    return out


def check_sums(report: dict, label: str) -> None:
    """Totals = the listed projects; by unit and by chain add up to the totals."""
    t = report["totals"]
    for key, metric in COUNT.items():
        listed = report["lists"][key]
        assert t[metric] == len(listed), (label, key)
        assert len({r["code"] for r in listed}) == len(listed), (label, key)
    for key, prefix in MONEY.items():
        listed = report["lists"][key]
        assert t[f"{prefix}_wan"] == sum(r["investment_wan"] or 0 for r in listed), (label, key)
        assert t[f"{prefix}_usd_wan"] == sum(r["investment_usd_wan"] or 0 for r in listed), (label, key)
    for band, floor in metrics.BANDS.items():
        big = [r for r in report["lists"]["signed"] if (r["investment_wan"] or 0) >= floor]
        assert t["band_counts"][band] == len(big)
    for section in ("by_unit", "by_chain"):
        for metric in COUNT.values():
            assert sum(r[metric] for r in report[section]) == t[metric], (label, section, metric)
        for metric in ("new_signed_wan", "new_started_wan"):
            assert sum(r[metric] for r in report[section]) == t[metric], (label, section, metric)


def codes(report: dict, key: str) -> list[str]:
    return [r["code"] for r in report["lists"][key]]


def iso_weeks_of_year() -> list[dt.date]:
    """The Sunday ending each ISO week that overlaps the year."""
    day = dt.date(YEAR, 1, 1)
    day -= dt.timedelta(days=day.weekday())
    sundays = []
    while day <= dt.date(YEAR, 12, 31):
        sundays.append(day + dt.timedelta(days=6))
        day += dt.timedelta(days=7)
    return sundays


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(projects=ledgers)
def test_totals_are_the_listed_projects_and_windows_partition_the_year(template_db: Path, tmp_path: Path,
                                                                       projects: list[dict]) -> None:
    path = tmp_path / "generated.db"  # one file for all examples: each one rewrites the projects
    if not path.exists():
        import sqlite3

        shutil.copy(template_db, path)
        con = sqlite3.connect(path)
        con.executemany("INSERT INTO unit (id, name, kind, sort_order) VALUES (?, ?, ?, ?)",
                        [(1, "甲镇", "town", 1), (2, "乙局", "department", 2), (3, "丙公司", "soe", 3)])
        con.executemany("INSERT INTO chain (id, name, sort_order) VALUES (?, ?, ?)", [(1, "甲链", 1), (2, "乙链", 2)])
        con.commit()
        con.close()
    write(path, projects)
    try:
        with session_scope(database_url(str(path))) as session:
            def report(kind: str, day: dt.date) -> dict:
                return build.report(session, kind, day).json()

            year = report("year", dt.date(YEAR, 12, 31))
            check_sums(year, "year")
            expected = expected_year(projects)
            for key in LISTS:
                assert sorted(codes(year, key)) == sorted(expected[key]), key

            months = [report("month", periods.month(dt.date(YEAR, m, 1)).end) for m in range(1, 13)]
            quarters = [report("quarter", periods.quarter(dt.date(YEAR, m, 1)).end) for m in (1, 4, 7, 10)]
            for label, group in (("month", months), ("quarter", quarters)):
                for r in group:
                    check_sums(r, label)
                for key in LISTS:
                    found = [c for r in group for c in codes(r, key)]
                    assert sorted(found) == sorted(codes(year, key)), (label, key)  # none twice, none lost
                for metric in COUNT.values():
                    assert sum(r["totals"][metric] for r in group) == year["totals"][metric]

            # Weeks: only the projection that needs no lists per week (stage queries), over every ISO
            # week that touches the year; a week may reach into the next or the previous year.
            in_weeks: dict[str, list[str]] = {key: [] for key in LISTS}
            for sunday in iso_weeks_of_year():
                period = periods.week(sunday)
                found = metrics.window_projects(session, period)
                measured = metrics.measure(session, period).total
                for bucket, key in (("signed", "signed"), ("started", "started"), ("producing", "producing"),
                                    ("lead", "leads"), ("planned", "planned")):
                    assert measured[COUNT[key]] == len(found[bucket])
                    for item in found[bucket]:
                        assert item.precision != "month"
                        if item.day.year == YEAR:
                            in_weeks[key].append(f"G-{item.project_id:03d}")
            for key in LISTS:
                day_dated = sorted(c for c, d in expected[key].items() if d.day is not None)
                assert sorted(in_weeks[key]) == day_dated, key
    finally:
        dispose_all()  # the next example rewrites the file
