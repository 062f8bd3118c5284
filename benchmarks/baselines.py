"""The baselines of benchmarks/run.py, each run as its own process: `python baselines.py NAME ARGS…`.

calamine FILE               read every cell of every sheet with python-calamine, nothing else (B3, B5, B9)
pandas-openpyxl FILE DB     pandas.read_excel(engine="openpyxl") + DataFrame.to_sql into a SQLite file (B4)
openpyxl-write XLSX OUT     write every cell of XLSX again with openpyxl's write-only mode (B8; CPU seconds)
pandas-week DB AS_OF        the weekly report's sums by loading the tables into pandas and grouping (B7)
zs-week DB AS_OF            the same sums as `zs report --week` makes them (B7)
explain-week DB AS_OF       EXPLAIN QUERY PLAN of the weekly report's main query
The B7 pair and openpyxl-write print the seconds their timed work took, as their last line.
"""

from __future__ import annotations

import sys
import time


def calamine(path: str) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    cells = 0
    for name in workbook.sheet_names:
        for row in workbook.get_sheet_by_name(name).iter_rows():
            for _cell in row:
                cells += 1
    print(cells)


def pandas_openpyxl(path: str, db: str) -> None:
    import sqlite3

    import pandas as pd

    # Row 1 is the ledger's title, rows 2 and 3 its two-row header: columns named by both, flattened.
    frame = pd.read_excel(path, engine="openpyxl", header=[1, 2])
    frame.columns = [" ".join(str(part) for part in column if not str(part).startswith("Unnamed"))
                     for column in frame.columns]
    with sqlite3.connect(db) as con:
        frame.to_sql("ledger", con, if_exists="replace", index=False)
    print(len(frame))


def openpyxl_write(path: str, out: str) -> None:
    """Write every cell of the workbook at `path` again with openpyxl's write-only mode. Reading the
    cells (python-calamine) is not timed; the seconds of the write are printed."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    started = time.process_time()  # CPU seconds: the machine may be shared
    workbook = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
    workbook.save(out)
    print(f"{time.process_time() - started:.6f}")


def pandas_week(db: str, as_of: str) -> None:
    """The weekly report's sums, loading the tables into pandas (whole, as `pd.read_sql_table` would)
    and grouping: per unit and per chain, for the week and the year to date (both cut at as-of), new
    planned, leads, signed (count, 万元), started or ready (once per project, on the earlier date;
    count, 万元), producing, 入库纳统, funds in place by month (万元 and 万美元); trips and main leaders'
    trips per unit; and the same for the comparison windows the report reads (the week a year earlier,
    the week before, the year to date a year earlier and last year whole). A stage counts on its earliest
    done date (a month-precision date comes after every day of its month) and month-precision dates
    count in no week."""
    import datetime as dt
    import sqlite3

    import pandas as pd

    day = dt.date.fromisoformat(as_of)
    monday = day - dt.timedelta(days=day.weekday())
    iso_year, number, _ = monday.isocalendar()
    then = dt.date.fromisocalendar(iso_year - 1, min(number, 52), 1)
    ago = day.replace(year=day.year - 1)
    windows = {"week": (monday, day), "ytd": (dt.date(day.year, 1, 1), day),
               "week_last_year": (then, then + (day - monday)),
               "week_before": (monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)),
               "ytd_last_year": (dt.date(ago.year, 1, 1), ago),
               "last_year": (dt.date(ago.year, 1, 1), dt.date(ago.year, 12, 31))}
    started = time.perf_counter()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:  # the tables, whole
        project, milestone, trip, unit, chain, funds = (
            pd.read_sql(f"SELECT * FROM {table}", con)
            for table in ("project", "milestone", "trip", "unit", "chain", "funds"))
    funds["month"] = pd.to_datetime(funds["month"])
    funds["foreign"] = funds["source"] == "foreign"
    funds = funds.merge(project[["id", "unit_id", "chain_id"]], left_on="project_id", right_on="id")
    stages = milestone[(milestone["done"] == 1) & milestone["done_on"].notna()
                       & milestone["kind"].isin(["planned", "lead", "signed", "ready", "started", "producing",
                                                 "registered"])].copy()
    stages["bucket"] = stages["kind"].replace({"ready": "started"})
    stages["done_on"] = pd.to_datetime(stages["done_on"])
    stages["key"] = (stages["done_on"].dt.year * 10000 + stages["done_on"].dt.month * 100
                     + stages["done_on"].dt.day.where(stages["precision"] != "month", 32))
    first = stages.loc[stages.groupby(["project_id", "bucket"])["key"].idxmin()]
    first = first.merge(project, left_on="project_id", right_on="id")
    trip["date"] = pd.to_datetime(trip["date"])
    tables = {}
    for label, (start, end) in windows.items():
        inside = first[(first["done_on"] >= pd.Timestamp(start)) & (first["done_on"] <= pd.Timestamp(end))]
        if label.startswith("week"):
            inside = inside[inside["precision"] != "month"]
        for by in ("unit_id", "chain_id"):
            counts = inside.pivot_table(index=by, columns="bucket", values="project_id", aggfunc="count", fill_value=0)
            money = inside.pivot_table(index=by, columns="bucket", values=["investment_wan", "investment_usd_wan"],
                                       aggfunc="sum", fill_value=0)
            money.columns = [f"{bucket}_{value}" for value, bucket in money.columns]
            months = funds[(funds["month"] >= pd.Timestamp(start.replace(day=1)))
                           & (funds["month"] + pd.offsets.MonthEnd(0) <= pd.Timestamp(end))]
            if label.startswith("week"):
                months = months.iloc[0:0]
            paid = months.pivot_table(index=by, columns="foreign", values="amount", aggfunc="sum", fill_value=0)
            tables[label, by] = counts.join(money).join(paid)
        trips = trip[(trip["date"] >= pd.Timestamp(start)) & (trip["date"] <= pd.Timestamp(end))]
        tables[label, "trips"] = trips.groupby("unit_id").agg(trips=("date", "size"),
                                                              main_leader_trips=("is_main_leader", "sum"))
    for label in windows:
        by_unit = unit.set_index("id")[["sort_order"]].join(tables[label, "unit_id"]).join(tables[label, "trips"],
                                                                                        rsuffix="_trips")
        by_chain = chain.set_index("id")[["sort_order"]].join(tables[label, "chain_id"])
        by_unit.fillna(0).sort_values("sort_order").sum()
        by_chain.fillna(0).sort_values("sort_order").sum()
    print(f"{time.perf_counter() - started:.6f}")


def zs_week(db: str, as_of: str) -> None:
    """The same sums as zs builds them for `zs report --week`: the week's and the year-to-date
    breakdowns (reports.metrics.measure), timed after the imports and the connection."""
    import datetime as dt

    from zhaoshang.config import database_url
    from zhaoshang.db.engine import session_scope
    from zhaoshang.reports import compare, metrics, periods

    day = dt.date.fromisoformat(as_of)
    with session_scope(database_url(db)) as session:
        session.connection()
        started = time.perf_counter()
        week = periods.week(day)
        metrics.measure(session, week)
        ytd = periods.ytd(week.cutoff)
        metrics.measure(session, ytd, stock=False)  # as reports/base.py asks, with the comparison windows
        compare.compare(session, week)
        compare.year_to_date(session, ytd)
        print(f"{time.perf_counter() - started:.6f}")


def explain_week(db: str, as_of: str) -> None:
    """EXPLAIN QUERY PLAN of the weekly report's main query (stage counts and sums per unit and chain)."""
    import datetime as dt

    from zhaoshang.config import database_url
    from zhaoshang.db.engine import connect
    from zhaoshang.reports import metrics, periods

    day = dt.date.fromisoformat(as_of)
    with connect(database_url(db)) as conn:
        for name, period in (("week", periods.week(day)), ("year to date", periods.ytd(day))):
            query = metrics.stage_query(period.months_count, metrics.Scope(),
                                        as_set=metrics.as_set(period)).params(
                {**metrics.window(period), "usd_rate_e4": None})
            compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
            print(f"-- the weekly report's main query, {name} window ({period.start} .. {period.cutoff})")
            print(str(compiled).strip())
            print("-- EXPLAIN QUERY PLAN")
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
            depth = {0: 0}
            for node, parent, _, detail in plan:
                depth[node] = depth.get(parent, 0) + 1
                print("  " * depth[node] + detail)
            print()


def main() -> None:
    name, *args = sys.argv[1:]
    {"calamine": calamine, "pandas-openpyxl": pandas_openpyxl, "openpyxl-write": openpyxl_write,
     "pandas-week": pandas_week, "zs-week": zs_week, "explain-week": explain_week}[name](*args)


if __name__ == "__main__":
    main()
