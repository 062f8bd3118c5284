"""The baselines of benchmarks/run.py, each run as its own process: `python baselines.py NAME ARGS…`.

calamine FILE               read every cell of every sheet with python-calamine, nothing else (B3, B5, B9)
pandas-openpyxl FILE DB     pandas.read_excel(engine="openpyxl") + DataFrame.to_sql into a SQLite file (B4)
dump-cells XLSX PICKLE      (not timed) keep every sheet's cells of a workbook, for openpyxl-write
openpyxl-write PICKLE OUT   write those cells with openpyxl's write-only mode (B8)
pandas-week DB AS_OF        the weekly report's sums by loading the tables into pandas and grouping (B7);
                            prints the seconds spent after the imports
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

    frame = pd.read_excel(path, engine="openpyxl", header=1)  # row 1 is the ledger's title
    with sqlite3.connect(db) as con:
        frame.to_sql("ledger", con, if_exists="replace", index=False)
    print(len(frame))


def dump_cells(path: str, out: str) -> None:
    import pickle

    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    sheets = [(name, workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names]
    with open(out, "wb") as fh:
        pickle.dump(sheets, fh, protocol=pickle.HIGHEST_PROTOCOL)


def openpyxl_write(cells: str, out: str) -> None:
    import pickle

    from openpyxl import Workbook

    with open(cells, "rb") as fh:
        sheets = pickle.load(fh)
    workbook = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
    workbook.save(out)


def pandas_week(db: str, as_of: str) -> None:
    """Per unit and per chain: the week's and the year's new leads, planned, signed (count, 万元),
    started or ready (once per project, on the earlier date; count, 万元), producing; trips and main
    leaders' trips. Month-precision dates count in the year, not in the week."""
    import datetime as dt
    import sqlite3

    import pandas as pd

    day = dt.date.fromisoformat(as_of)
    week_start = day - dt.timedelta(days=day.weekday())
    week = (pd.Timestamp(week_start), pd.Timestamp(week_start + dt.timedelta(days=6)))
    year = (pd.Timestamp(day.year, 1, 1), pd.Timestamp(day.year, 12, 31))
    started = time.perf_counter()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        project = pd.read_sql("SELECT id, unit_id, chain_id, investment_wan, investment_usd_wan FROM project", con)
        milestone = pd.read_sql("SELECT project_id, kind, done, done_on, precision FROM milestone", con)
        trip = pd.read_sql("SELECT unit_id, is_main_leader, date FROM trip", con)
        unit = pd.read_sql("SELECT id, name, sort_order FROM unit", con)
        chain = pd.read_sql("SELECT id, name, sort_order FROM chain", con)
    milestone = milestone[milestone["done"] == 1].copy()
    milestone["done_on"] = pd.to_datetime(milestone["done_on"])
    milestone.loc[milestone["kind"].isin(["ready", "started"]), "kind"] = "started"
    stages = (milestone[milestone["kind"].isin(["planned", "lead", "signed", "started", "producing"])]
              .groupby(["project_id", "kind"], as_index=False).agg(done_on=("done_on", "min"),
                                                                    precision=("precision", "first")))
    stages = stages.merge(project, left_on="project_id", right_on="id")
    trip["date"] = pd.to_datetime(trip["date"])
    results = {}
    for label, (start, end) in (("week", week), ("year", year)):
        inside = stages[(stages["done_on"] >= start) & (stages["done_on"] <= end)]
        if label == "week":
            inside = inside[inside["precision"] != "month"]
        for by in ("unit_id", "chain_id"):
            counts = inside.pivot_table(index=by, columns="kind", values="project_id", aggfunc="count", fill_value=0)
            money = inside.pivot_table(index=by, columns="kind", values="investment_wan", aggfunc="sum", fill_value=0)
            results[label, by] = counts.join(money, rsuffix="_wan")
        trips = trip[(trip["date"] >= start) & (trip["date"] <= end)]
        results[label, "trips"] = trips.groupby("unit_id").agg(trips=("date", "size"),
                                                               main_leader_trips=("is_main_leader", "sum"))
    by_unit = unit.set_index("id").join(results["week", "unit_id"]).join(results["week", "trips"]).fillna(0)
    by_chain = chain.set_index("id").join(results["week", "chain_id"]).fillna(0)
    len(by_unit.sort_values("sort_order")), len(by_chain.sort_values("sort_order"))
    print(f"{time.perf_counter() - started:.6f}")


def main() -> None:
    name, *args = sys.argv[1:]
    {"calamine": calamine, "pandas-openpyxl": pandas_openpyxl, "dump-cells": dump_cells,
     "openpyxl-write": openpyxl_write, "pandas-week": pandas_week}[name](*args)


if __name__ == "__main__":
    main()
