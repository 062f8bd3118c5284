"""A shared ledger under load: many clerks writing at once while one unit's large import runs.

    python benchmarks/load.py [--engine postgresql|sqlite] [--clerks N] [--seconds S] [--import-rows R]

PostgreSQL (default: 50 clerks, 60 s, a 10,000-row import, a clerk pausing 1 s on average between
two operations; --think 0 runs them back to back): a fresh database on ZS_LOAD_PG (default
the test server), the sample district plus units up to one per clerk, each clerk a login role of its
own unit doing reads, stage advances, progress updates, weekly notes and small imports of its own
unit's rows; one more clerk imports 10,000 rows of its unit again and again throughout (each run
updates every row); one admin builds the weekly report. SQLite (`--engine sqlite`, default 8 writers)
does the same on one file with declared users (the busy timeout holds: writers queue).

Latency is the service call with its transaction (commit included), measured inside the worker
process, not process start-up. Afterwards it checks: no lost update (each project's progress
changes follow one another: every change starts from the value the one before left), every change
in the history, no error reaching a clerk, and `zs db verify` clean. It prints p50/p95/p99 per
operation and the budgets: p95 of a small write <= 100 ms while the import runs (PostgreSQL), and
`zs report --week` <= 1.5 s on the sample (a fresh process, median of 3). Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

AS_OF = dt.date(2023, 6, 28)
STAGES = ["lead", "negotiating", "signed", "started", "producing"]
STAGE_WORD = {"lead": "线索"}
PER_UNIT = 12  # projects of each clerk's unit
SMALL_ROWS = 5  # rows of a clerk's small import
SMALL_WRITES = ("advance", "update", "note")
IMPORT_UNIT = "负载导入单位"
PASSWORD = "load-pw"


def zs(db: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhaoshang", "--db", db, *args], capture_output=True, text=True,
                          env={**os.environ, "ZS_USER": "办公室", "COLUMNS": "120"}, check=False)


def ok(db: str, *args: str) -> str:
    run = zs(db, *args)
    if run.returncode != 0:
        raise SystemExit(f"zs {' '.join(args)} failed: {run.stderr}")
    return run.stdout


# --------------------------------------------------------------------------- the ledger


@contextmanager
def unit_of_work(url: str, actor: str, source: str):  # type: ignore[no-untyped-def]
    """What `zs` does around a change (cli/_common.writing): one transaction, the actor settled."""
    from zhaoshang import config
    from zhaoshang.db.engine import session_scope
    from zhaoshang.services.context import Ctx, bind
    from zhaoshang.services.users import guard

    with session_scope(url, write=True) as session:
        ctx = Ctx(session=session, actor=actor, source=source, today=AS_OF, now=config.utcnow())
        guard(ctx)
        bind(ctx)
        yield ctx


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


HEADER = ["项目编号", "项目名称", "投资方", "总投资（万元）", "责任单位", "项目阶段"]


def prepare(url: str, clerks: int, import_rows: int, work: Path, server: bool) -> dict[str, Any]:
    """The sample district, a unit per clerk with its projects, the import's unit and files, the logins."""
    from sqlmodel import select

    from zhaoshang.models import Unit
    from zhaoshang.services.directory import add_unit
    from zhaoshang.services.imports import import_file
    from zhaoshang.services.users import add_user, grant_units

    ok(url, "init", "--sample")
    week = [timed_command(url, "report", "--week", "--as-of", AS_OF.isoformat()) for _ in range(3)]
    tag = uuid.uuid4().hex[:6]
    with unit_of_work(url, "办公室", "zs load prepare") as ctx:
        units = [u.name for u in ctx.session.exec(select(Unit).where(Unit.kind != "leadership")
                                                   .order_by(Unit.sort_order, Unit.id)).all()]
        for n in range(len(units), clerks):
            units.append(add_unit(ctx, f"负载单位{n + 1:02d}", "other").name)
        units = units[:clerks]
        add_unit(ctx, IMPORT_UNIT, "other")
    rows = [HEADER] + [[f"L-{u:02d}-{k:02d}", f"负载项目{u}-{k}", f"投资方{u}", 1000 + k, name, "线索"]
                       for u, name in enumerate(units) for k in range(PER_UNIT)]
    big = [[f"B-{i:06d}", f"导入项目{i}", f"投资方{i % 97}", 5000 + i % 50, IMPORT_UNIT, "线索"]
           for i in range(import_rows)]
    files = [write_csv(work / "大台账-甲.csv", [HEADER, *big]),
             write_csv(work / "大台账-乙.csv", [HEADER, *[[*r[:3], r[3] + 1, *r[4:]] for r in big]])]
    with unit_of_work(url, "办公室", "zs load prepare") as ctx:
        import_file(ctx, write_csv(work / "负载单位.csv", rows))
        import_file(ctx, files[0])
    logins = [f"zs_load_{tag}_{i}" if server else f"填报员{i + 1:02d}" for i in range(clerks + 1)]
    with unit_of_work(url, "办公室", "zs load prepare") as ctx:
        if server:  # `zs users add` refreshes every user's grants each time: here once, at the end
            from zhaoshang.db import security
            from zhaoshang.models import User, UserUnit

            conn = ctx.session.connection()
            ids = {u.name: u.id for u in ctx.session.exec(select(Unit)).all()}
            for name, unit in zip(logins, [*units, IMPORT_UNIT], strict=True):
                security.create_login(conn, name, PASSWORD)
                user = User(name=name, role="clerk")
                ctx.session.add(user)
                ctx.session.flush()
                ctx.session.add(UserUnit(user_id=user.id, unit_id=ids[unit]))
            ctx.session.flush()
            security.install(conn)
        else:
            for name, unit in zip(logins, [*units, IMPORT_UNIT], strict=True):
                add_user(ctx, name, "clerk")
                grant_units(ctx, name, [unit])
    return {"units": units, "logins": logins, "files": [str(f) for f in files], "week_command": week}


def as_login(url: str, login: str, server: bool) -> str:
    if not server:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=login, password=PASSWORD).render_as_string(hide_password=False)


def timed_command(url: str, *args: str) -> float:
    started = time.perf_counter()
    ok(url, *args)
    return time.perf_counter() - started


# --------------------------------------------------------------------------- the workers


def clerk(url: str, login: str, index: int, unit: str, deadline: float, small: list[str], think: float,
          out: Any) -> None:
    from zhaoshang.services.imports import import_file
    from zhaoshang.services.notes import add_note
    from zhaoshang.services.projects import ProjectFilter, advance, get_project, list_projects, update_project
    from zhaoshang.vocabulary.dates import LedgerDate

    rng = random.Random(index)
    stage = {f"L-{index:02d}-{k:02d}": 0 for k in range(PER_UNIT)}
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    done = {"update": 0}
    n = 0
    while time.monotonic() < deadline:
        if think:
            time.sleep(rng.uniform(0.5, 1.5) * think)  # a clerk reads the screen between two commands
        op = rng.choices(["read", "advance", "update", "note", "import"], [4, 2, 2, 2, 1])[0]
        code = rng.choice(list(stage))
        started = time.perf_counter()
        try:
            if op == "read":
                from zhaoshang.db.engine import session_scope

                with session_scope(url) as session:
                    list_projects(session, ProjectFilter(unit=unit))
            elif op == "advance":
                ahead = [c for c, s in stage.items() if s < len(STAGES) - 1]
                if not ahead:
                    continue
                code = rng.choice(ahead)
                with unit_of_work(url, login, "zs projects advance") as ctx:
                    when = LedgerDate.of(AS_OF - dt.timedelta(days=5 - stage[code]))
                    advance(ctx, code, STAGES[stage[code] + 1], when)
                stage[code] += 1
            elif op == "update":
                n += 1
                with unit_of_work(url, login, "zs projects update") as ctx:
                    update_project(ctx, code, {"progress": f"{login} 第{n}次"})
                done["update"] += 1
            elif op == "note":
                with unit_of_work(url, login, "zs projects note") as ctx:
                    add_note(ctx, get_project(ctx.session, code), f"{login} 进展 {time.time():.3f}", None, AS_OF)
                done["update"] += 1  # the week's note is the project's progress too
            else:
                with unit_of_work(url, login, "zs import") as ctx:
                    import_file(ctx, small[n % 2])
        except Exception as exc:
            errors.append(f"{op}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            continue
        times.setdefault(op, []).append(time.perf_counter() - started)
    out.put({"times": times, "errors": errors, "done": done})


def importer(url: str, login: str, files: list[str], deadline: float, pause: float, out: Any) -> None:
    from zhaoshang.services.imports import import_file

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    turn = 1
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with unit_of_work(url, login, "zs import") as ctx:
                result = import_file(ctx, files[turn % 2])
            if result.updated == 0:
                errors.append(f"import: updated nothing ({result.unchanged} unchanged)")
        except Exception as exc:
            errors.append(f"import 10k: {type(exc).__name__}: {exc}")
            continue
        times.setdefault("import 10k rows", []).append(time.perf_counter() - started)
        turn += 1
        time.sleep(pause)  # the next file: on SQLite the clerks queued meanwhile get their turn
    out.put({"times": times, "errors": errors, "done": {}})


def admin(url: str, deadline: float, out: Any) -> None:
    from zhaoshang.db.engine import session_scope
    from zhaoshang.reports.build import report

    times: dict[str, list[float]] = {}
    errors: list[str] = []
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with session_scope(url) as session:
                report(session, "week", AS_OF)
        except Exception as exc:
            errors.append(f"report: {type(exc).__name__}: {exc}")
            continue
        times.setdefault("report --week (service)", []).append(time.perf_counter() - started)
    out.put({"times": times, "errors": errors, "done": {}})


# --------------------------------------------------------------------------- checking


def check(url: str, logins: list[str], updates: int) -> list[str]:
    """No lost update, every change in the history, the chain and every project verified."""
    from sqlalchemy import text

    from zhaoshang.db.engine import connect
    from zhaoshang.db.ops import verify_ledger

    failures = []
    with connect(url) as conn:
        rows = conn.execute(text("SELECT entity_id, old, new, actor FROM event WHERE entity = 'project' "
                                 "AND field = 'progress' ORDER BY entity_id, id")).all()
        current = dict(conn.execute(text("SELECT id, progress FROM project")).all())
    names = set(logins)
    rows = [r for r in rows if r[3] in names]
    lost = 0
    by_project: dict[int, list[Any]] = {}
    for row in rows:
        by_project.setdefault(row[0], []).append(row)
    for pid, changes in by_project.items():
        lost += sum(1 for a, b in itertools.pairwise(changes) if b[1] != a[2])
        if current.get(pid) != changes[-1][2]:
            lost += 1
    if lost:
        failures.append(f"lost updates: {lost}")
    if len(rows) != updates:
        failures.append(f"progress changes in the history: {len(rows)}, made: {updates}")
    verdict = verify_ledger(url)
    if not verdict.ok:
        failures.append(f"zs db verify: {len(verdict.findings)} findings, first: {verdict.findings[0].message}")
    print(f"checks: {len(rows)} progress updates, each from the value before it: "
          f"{'yes' if not lost else 'NO'}; zs db verify: {verdict.events} events, {verdict.projects} projects, "
          f"{'clean' if verdict.ok else 'FAILS'}")
    return failures


def quantiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Clerks writing at once while a large import runs.")
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--clerks", type=int, help="concurrent clerks (default 50 on PostgreSQL, 8 on SQLite)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--think", type=float, default=1.0,
                        help="a clerk's mean pause between two operations, seconds (0: back to back)")
    parser.add_argument("--import-pause", type=float, default=1.0,
                        help="seconds between the large imports (the next file arriving)")
    parser.add_argument("--keep", action="store_true", help="keep the ledger (its URL or path is printed)")
    args = parser.parse_args(argv)
    server = args.engine == "postgresql"
    clerks = args.clerks or (50 if server else 8)
    work = Path(tempfile.mkdtemp(prefix="zs-load-"))
    admin_url = None
    if server:
        import psycopg
        from sqlalchemy.engine import make_url

        base = make_url(os.environ.get("ZS_LOAD_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
        name = f"zs_load_{os.getpid()}"
        admin_url = base.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = base.set(database=name).render_as_string(hide_password=False)
    else:
        url = "sqlite:///" + str(work / "ledger.db")
    started = time.perf_counter()
    setup = prepare(url, clerks, args.import_rows, work, server)
    from zhaoshang.db.engine import dispose_all

    dispose_all()
    units, logins = setup["units"], setup["logins"]
    small = []
    for i, unit in enumerate(units):
        rows = [[f"L-{i:02d}-{k:02d}", f"负载项目{i}-{k}", f"投资方{i}", 2000 + k + turn, unit, "线索"]
                for k in range(SMALL_ROWS) for turn in (0,)]
        changed = [[*r[:3], r[3] + 7, *r[4:]] for r in rows]
        small.append([str(write_csv(work / f"小台账-{i}-甲.csv", [HEADER, *rows])),
                      str(write_csv(work / f"小台账-{i}-乙.csv", [HEADER, *changed]))])
    print(f"{args.engine}: {clerks} clerks × {args.seconds:.0f} s (a pause of {args.think:g} s on average between "
          f"a clerk's operations), one clerk importing {args.import_rows:,} rows throughout, one admin building "
          f"the weekly report back to back (set up in {time.perf_counter() - started:.0f} s)")
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    deadline = time.monotonic() + 5 + args.seconds  # the import starts first: every clerk writes during it
    procs = [ctx.Process(target=importer, args=(as_login(url, logins[-1], server), logins[-1], setup["files"],
                                                deadline, args.import_pause, out))]
    procs[0].start()
    time.sleep(5)
    procs.append(ctx.Process(target=admin, args=(url, deadline, out)))
    for i, unit in enumerate(units):
        procs.append(ctx.Process(target=clerk, args=(as_login(url, logins[i], server), logins[i], i, unit,
                                                     deadline, small[i], args.think, out)))
    for proc in procs[1:]:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    updates = 0
    for r in results:
        for op, values in r["times"].items():
            times.setdefault(op, []).extend(values)
        errors.extend(r["errors"])
        updates += r["done"].get("update", 0)
    print(f"{'operation':<26}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for op in ("read", "advance", "update", "note", "import", "report --week (service)", "import 10k rows"):
        values = times.get(op)
        if values:
            p50, p95, p99 = quantiles(values)
            label = {"import": f"import {SMALL_ROWS} rows"}.get(op, op)
            print(f"{label:<26}{len(values):>7}{p50 * 1000:>10.0f}{p95 * 1000:>10.0f}{p99 * 1000:>10.0f}")
    small_writes = [v for op in SMALL_WRITES for v in times.get(op, [])]
    failures = []
    if errors:
        failures.append(f"{len(errors)} errors reached clerks, e.g. {sorted(set(errors))[:3]}")
    print(f"errors reaching a clerk: {len(errors)}")
    failures += check(url, logins, updates)
    p95 = quantiles(small_writes)[1] if small_writes else float("nan")
    week = statistics.median(setup["week_command"])
    print(f"budget: p95 of a small write (advance, update, note) {p95 * 1000:.0f} ms (≤ 100 ms"
          f"{' on PostgreSQL' if server else ', PostgreSQL only'}): "
          f"{'holds' if p95 <= 0.1 else ('FAILS' if server else 'over (SQLite: one writer at a time)')}")
    print(f"budget: zs report --week on the sample {week:.2f} s (median of 3 fresh processes; ≤ 1.5 s): "
          f"{'holds' if week <= 1.5 else 'FAILS'}")
    if server and p95 > 0.1:
        failures.append("p95 of a small write over 100 ms")
    if week > 1.5:
        failures.append("zs report --week over 1.5 s")
    dispose_all()
    if args.keep:
        print(f"ledger kept: {url}")
    elif server and admin_url is not None:
        _drop(admin_url, url, logins)
    for failure in failures:
        print(f"FAILS: {failure}")
    return 1 if failures else 0


def _drop(admin_url: str, url: str, logins: list[str]) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for login in logins:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


if __name__ == "__main__":
    raise SystemExit(main())
