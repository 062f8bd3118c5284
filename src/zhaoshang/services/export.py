"""`zs export`: the whole ledger as tables, one per ledger, with the column labels `zs import` reads.

Projects (every stage date and code), their milestones, units, chains, trips, campaign targets, the
joint reviews (联审) with the criteria versions they were made under, the problems a dispatch
coordinates (问题协调), the district's stage words and the ledger settings. Rows stream in chunks
(keyset on id), so exporting a large ledger does not hold it in memory. Importing the workbook into
an empty ledger reproduces it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from zhaoshang.models import (
    Campaign,
    Chain,
    Funds,
    Milestone,
    Problem,
    Project,
    Review,
    ReviewCriterion,
    Setting,
    StageWord,
    Target,
    Trip,
    Unit,
)
from zhaoshang.services.settings import LEDGER_ID
from zhaoshang.vocabulary.columns import Col, export_columns, metric_column
from zhaoshang.vocabulary.dates import iso
from zhaoshang.vocabulary.labels import METRIC_ZH
from zhaoshang.vocabulary.stages import STAGE_DATE_KEY
from zhaoshang.vocabulary.tuijin import completed_header, plan_header

CHUNK = 20_000
# The sheets' columns, in the order the export writes them; labels from the column catalogue.
PROJECT_COLUMNS = export_columns("project", "index code name investor investment_wan investment_usd_wan chain unit "
                                            "stage marshal support_units leaders planned_on lead_on negotiating_on "
                                            "signed_on ready_on started_on produced_on terminated_on "
                                            "planned_completion_on completed_on scope source_region sector progress "
                                            "note")
_AFTER_DATES = PROJECT_COLUMNS.index(next(c for c in PROJECT_COLUMNS if c.key == "completed_on")) + 1
MILESTONE_COLUMNS = export_columns("milestone", "code name kind planned_on done done_on note")
UNIT_COLUMNS = export_columns("unit", "sort_order name kind class leader")
CHAIN_COLUMNS = export_columns("chain", "sort_order name chief anchor_firm lead_unit")
TRIP_COLUMNS = export_columns("trip", "date unit leader is_main_leader destination region visits negotiations note")
TARGET_COLUMNS = export_columns("target", "campaign start_on end_on unit")
REVIEW_COLUMNS = export_columns("review", "code name criterion verdict reviewed_on reviewer note")
CRITERION_COLUMNS = export_columns("criterion", "sort_order name valid_from valid_until")
PROBLEM_COLUMNS = export_columns("problem", "code name text owner raised_on due_on resolved_on resolution")
WORD_COLUMNS = export_columns("stage_word", "word stage")
SETTING_COLUMNS = export_columns("setting", "key value")


@dataclass
class Table:
    name: str  # sheet name
    title: str  # what the title row says
    columns: list[Col]
    rows: Callable[[], Iterator[dict]]
    count: int


@dataclass
class LedgerTables:
    district: str | None
    today: dt.date
    sheets: list[Table]


def ledger_tables(session: Session, today: dt.date) -> LedgerTables:
    conn = session.connection()
    district_row = session.get(Setting, "district")
    district = district_row.value if district_row else None

    def title(what: str) -> str:
        return f"{district or ''}{what}"

    def count(model: Any) -> int:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()

    sheets = [
        Table("项目台账", title("招商引资项目台账"), project_columns(conn), lambda: project_rows(conn), count(Project)),
        Table("项目节点", title("项目节点"), MILESTONE_COLUMNS, lambda: milestone_rows(conn), count(Milestone)),
        Table("责任单位", title("责任单位"), UNIT_COLUMNS, lambda: unit_rows(conn), count(Unit)),
        Table("产业链", title("产业链"), CHAIN_COLUMNS, lambda: chain_rows(conn), count(Chain)),
        Table("外出招商", title("外出招商"), TRIP_COLUMNS, lambda: trip_rows(conn), count(Trip)),
    ]
    metrics = [m for m in METRIC_ZH if m in set(conn.execute(select(Target.metric).distinct()).scalars())]
    target_columns = [*TARGET_COLUMNS, *(metric_column(m) for m in metrics)]
    target_rows = list(campaign_rows(conn))
    sheets.append(Table("会战目标", title("会战目标"), target_columns, lambda: iter(target_rows), len(target_rows)))
    words = [{"word": w.word, "stage": w.stage}
             for w in session.exec(select(StageWord).order_by(StageWord.word)).scalars()]
    criteria = list(criterion_rows(conn))
    sheets += [
        Table("联审", title("项目联审"), REVIEW_COLUMNS, lambda: review_rows(conn), count(Review)),
        Table("联审标准", title("联审标准"), CRITERION_COLUMNS, lambda: iter(criteria), len(criteria)),
        Table("问题协调", title("问题协调"), PROBLEM_COLUMNS, lambda: problem_rows(conn), count(Problem)),
        Table("到位资金", title("实际到位资金"), FUNDS_COLUMNS, lambda: funds_rows(conn), count(Funds)),
    ]
    sheets.append(Table("阶段词", title("阶段词"), WORD_COLUMNS, lambda: iter(words), len(words)))
    settings = [{"key": s.key, "value": s.value}  # the ledger's own id stays with it
                for s in session.exec(select(Setting).order_by(Setting.key)).scalars() if s.key != LEDGER_ID]
    sheets.append(Table("账本设置", title("账本设置"), SETTING_COLUMNS, lambda: iter(settings), len(settings)))
    return LedgerTables(district, today, sheets)


def _names(conn: Connection, model: Any) -> dict[int, str]:
    t = model.__table__
    return dict(conn.execute(select(t.c.id, t.c.name)).all())  # type: ignore[arg-type]


def _project_names(conn: Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    P = Project.__table__  # type: ignore[attr-defined]
    return {pid: (code, name) for pid, code, name in
            conn.execute(select(P.c.id, P.c.code, P.c.name).where(P.c.id.in_(ids)))}


def _chunks(conn: Connection, table: Any, query: Any = None) -> Iterator[list[Any]]:
    """Rows of `query` (default: the whole table) by id, CHUNK at a time."""
    query = select(table) if query is None else query
    last = 0
    while True:
        rows = conn.execute(query.where(table.c.id > last).order_by(table.c.id).limit(CHUNK)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _text(column: Any) -> Any:
    """A date column as its ISO text (2023-06-26): a bulk read skips building date objects."""
    return cast(column, String)


def _day(text: str | None, precision: str | None) -> str | None:
    """A stored date as the listing shows it: 2023-06-26, or 2023-06 at month precision."""
    if text is None:
        return None
    return text[:7] if precision == "month" else text[:10]


def _earlier(a: str, b: str) -> bool:
    """Whether ledger date text `a` comes before `b`; a month comes after every day of it."""
    return (a if len(a) == 10 else a + "-32") < (b if len(b) == 10 else b + "-32")


def _investment_months(conn: Connection) -> tuple[list[int], dict[int, int]]:
    """The years with a plan, and per year with completed investment the last month holding one."""
    from zhaoshang.models import InvestmentDone, InvestmentPlan

    IP, ID = InvestmentPlan.__table__, InvestmentDone.__table__  # type: ignore[attr-defined]
    years = sorted(set(conn.execute(select(IP.c.year).distinct()).scalars()))
    last: dict[int, int] = {}
    for month in conn.execute(select(ID.c.month).distinct()).scalars():
        day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
        last[day.year] = max(last.get(day.year, 0), day.month)
    return years, last


def project_columns(conn: Connection) -> list[Col]:
    """The project sheet's columns: the catalogue's, with a 计划投资 column per year that has a plan and a
    1-N月完成投资 column per year that has completed investment (N: its latest month)."""
    years, last = _investment_months(conn)
    extra = [Col(f"plan:{y}", plan_header(y), f"Plan {y}", "int") for y in years]
    extra += [Col(f"completed:{y}", completed_header(y, m), f"Completed {y}", "int") for y, m in sorted(last.items())]
    return [*PROJECT_COLUMNS[:_AFTER_DATES], *extra, *PROJECT_COLUMNS[_AFTER_DATES:]]


def _tuijin(conn: Connection, pids: list[int], last: dict[int, int]) -> dict[int, dict[str, Any]]:
    """The 推进表 cells of a chunk of projects: leaders, supporting units, completion, plans, completed."""
    from zhaoshang.services.investment import months_of, plans_of
    from zhaoshang.services.leaders import leaders_of
    from zhaoshang.services.support import support_of
    from zhaoshang.vocabulary.cumulative import cumulative

    out: dict[int, dict[str, Any]] = {pid: {} for pid in pids}
    for pid, written in leaders_of(conn, pids).items():
        out[pid]["leaders"] = "、".join(written)
    for pid, names in support_of(conn, pids).items():
        out[pid]["support_units"] = "、".join(names)
    for pid, plans in plans_of(conn, pids).items():
        out[pid].update({f"plan:{y}": v for y, v in plans.items()})
    for pid, months in months_of(conn, pids).items():
        for year, month in last.items():
            per_year = {m: a for (y, m), a in months.items() if y == year}
            if per_year:
                out[pid][f"completed:{year}"] = cumulative(per_year, month)
    M = Milestone.__table__  # type: ignore[attr-defined]
    for pid, planned, planned_precision, done, done_on, precision in conn.execute(
            select(M.c.project_id, _text(M.c.planned_on), M.c.planned_precision, M.c.done, _text(M.c.done_on),
                   M.c.precision)
            .where(M.c.project_id.between(min(pids), max(pids)), M.c.kind == "completion").order_by(M.c.id)):
        mine = out.get(pid, {})
        if planned is not None:
            mine.setdefault("planned_completion_on", _day(planned, planned_precision))
        if done and done_on is not None:
            mine.setdefault("completed_on", _day(done_on, precision))
    return out


def project_rows(conn: Connection) -> Iterator[dict]:
    units, chains = _names(conn, Unit), _names(conn, Chain)
    _, last_month = _investment_months(conn)
    P, M = Project.__table__, Milestone.__table__  # type: ignore[attr-defined]
    date_keys = list(STAGE_DATE_KEY.values())
    index = 0
    for chunk in _chunks(conn, P):
        first, last = chunk[0].id, chunk[-1].id
        dates: dict[int, dict[str, str]] = {}
        for pid, kind, day, precision in conn.execute(
                select(M.c.project_id, M.c.kind, _text(M.c.done_on), M.c.precision)
                .where(M.c.project_id.between(first, last), M.c.done, M.c.kind.in_(list(STAGE_DATE_KEY)))):
            text = _day(day, precision)
            if text is None:
                continue
            mine = dates.setdefault(pid, {})
            key = STAGE_DATE_KEY[kind]
            if key not in mine or _earlier(text, mine[key]):
                mine[key] = text
        extras = _tuijin(conn, [p.id for p in chunk], last_month)
        for p in chunk:
            index += 1
            row = {"index": index, "code": p.code, "name": p.name, "investor": p.investor,
                   "investment_wan": p.investment_wan, "investment_usd_wan": p.investment_usd_wan,
                   "chain": chains.get(p.chain_id), "unit": units.get(p.unit_id), "stage": p.stage,
                   "marshal": bool(p.marshal), "source_region": p.source_region, "sector": p.sector,
                   "progress": p.progress, "note": p.note, "scope": p.scope, **extras[p.id]}
            mine = dates.get(p.id, {})
            for key in date_keys:
                row[key] = mine.get(key)
            yield row


def milestone_rows(conn: Connection) -> Iterator[dict]:
    """Every milestone with its project's code and name, read in one joined query a chunk."""
    M, P = Milestone.__table__, Project.__table__  # type: ignore[attr-defined]
    query = select(M.c.id, P.c.code, P.c.name, M.c.kind, _text(M.c.planned_on), M.c.planned_precision, M.c.done,
                   _text(M.c.done_on), M.c.precision, M.c.note).join_from(M, P, M.c.project_id == P.c.id)
    for chunk in _chunks(conn, M, query):
        for _, code, name, kind, planned, planned_precision, done, done_on, precision, note in chunk:
            # _day inline: a million rows
            yield {"code": code, "name": name, "kind": kind,
                   "planned_on": None if planned is None else planned[:7 if planned_precision == "month" else 10],
                   "done": bool(done),
                   "done_on": None if done_on is None else done_on[:7 if precision == "month" else 10], "note": note}


FUNDS_COLUMNS = export_columns("funds", "code name month source amount_wan amount_usd_wan")


def funds_rows(conn: Connection) -> Iterator[dict]:
    """Every month of funds in place with its project's code and name."""
    from zhaoshang.services.funds import SOURCE_ZH

    F, P = Funds.__table__, Project.__table__  # type: ignore[attr-defined]
    query = (select(P.c.code, P.c.name, F.c.month, F.c.source, F.c.amount).join_from(F, P, F.c.project_id == P.c.id)
             .order_by(P.c.code, F.c.source, F.c.month))
    for code, name, month, source, amount in conn.execute(query):
        day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
        foreign = source == "foreign"
        yield {"code": code, "name": name, "month": f"{day.year}-{day.month:02d}", "source": SOURCE_ZH[source],
               "amount_wan": None if foreign else amount, "amount_usd_wan": amount if foreign else None}


def unit_rows(conn: Connection) -> Iterator[dict]:
    U = Unit.__table__  # type: ignore[attr-defined]
    for u in conn.execute(select(U).order_by(U.c.sort_order, U.c.id)):
        yield {"sort_order": u.sort_order, "name": u.name, "kind": u.kind, "class": u.unit_class, "leader": u.leader}


def chain_rows(conn: Connection) -> Iterator[dict]:
    units = _names(conn, Unit)
    C = Chain.__table__  # type: ignore[attr-defined]
    for c in conn.execute(select(C).order_by(C.c.sort_order, C.c.id)):
        yield {"sort_order": c.sort_order, "name": c.name, "chief": c.chief, "anchor_firm": c.anchor_firm,
               "lead_unit": units.get(c.lead_unit_id)}


def trip_rows(conn: Connection) -> Iterator[dict]:
    units = _names(conn, Unit)
    T = Trip.__table__  # type: ignore[attr-defined]
    for t in conn.execute(select(T).order_by(T.c.date, T.c.id)):
        yield {"date": t.date.isoformat(), "unit": units.get(t.unit_id), "leader": t.leader,
               "is_main_leader": bool(t.is_main_leader), "destination": t.destination, "region": t.region,
               "visits": t.visits, "negotiations": t.negotiations, "note": t.note}


def campaign_rows(conn: Connection) -> Iterator[dict]:
    """One row per campaign and unit, a column per metric; a campaign without targets gets a row too."""
    units = _names(conn, Unit)
    order = {uid: n for n, uid in enumerate(
        conn.execute(select(Unit.__table__.c.id).order_by(Unit.__table__.c.sort_order, Unit.__table__.c.id))  # type: ignore[attr-defined]
        .scalars())}
    C, T = Campaign.__table__, Target.__table__  # type: ignore[attr-defined]
    for c in conn.execute(select(C).order_by(C.c.start_on, C.c.id)):
        base = {"campaign": c.name, "start_on": c.start_on.isoformat(), "end_on": c.end_on.isoformat()}
        per_unit: dict[int, dict] = {}
        for t in conn.execute(select(T).where(T.c.campaign_id == c.id)):
            per_unit.setdefault(t.unit_id, {})[t.metric] = t.value
        if not per_unit:
            yield {**base, "unit": None}
        for uid in sorted(per_unit, key=lambda u: order.get(u, 0)):
            yield {**base, "unit": units.get(uid), **per_unit[uid]}


TEMPLATE_METRICS = ("new_leads", "new_signed", "new_signed_wan", "new_started")  # the default rules' four


def target_template(session: Session, name: str, today: dt.date) -> LedgerTables:
    """A campaign's targets as one sheet to fill in (zs campaign targets NAME --template): the 会战目标
    sheet zs export writes, with a row for every unit in the rankings (in the official order), a column
    for each metric the campaign targets (at least the default rules' four) and the targets it has."""
    from zhaoshang.services.campaigns import get_campaign

    campaign = get_campaign(session, name)
    conn = session.connection()
    T, U = Target.__table__, Unit.__table__  # type: ignore[attr-defined]
    targets: dict[int, dict[str, int]] = {}
    for t in conn.execute(select(T).where(T.c.campaign_id == campaign.id)):
        targets.setdefault(t.unit_id, {})[t.metric] = t.value
    used = {m for per_unit in targets.values() for m in per_unit}
    metrics = [m for m in METRIC_ZH if m in used or m in TEMPLATE_METRICS]
    base = {"campaign": campaign.name, "start_on": campaign.start_on.isoformat(),
            "end_on": campaign.end_on.isoformat()}
    rows = [{**base, "unit": u.name, **targets.get(u.id, {})}
            for u in conn.execute(select(U.c.id, U.c.name).where(U.c.kind != "leadership")
                                  .order_by(U.c.sort_order, U.c.id))]
    district_row = session.get(Setting, "district")
    title = f"{district_row.value if district_row else ''}{campaign.name}目标（填写后用 zs campaign targets " \
            f"{campaign.name} --file 读入）"
    columns = [*TARGET_COLUMNS, *(metric_column(m) for m in metrics)]
    return LedgerTables(district_row.value if district_row else None, today,
                        [Table("会战目标", title, columns, lambda: iter(rows), len(rows))])


def review_rows(conn: Connection) -> Iterator[dict]:
    for chunk in _chunks(conn, Review.__table__):  # type: ignore[attr-defined]
        projects = _project_names(conn, list({r.project_id for r in chunk}))
        for r in chunk:
            code, name = projects[r.project_id]
            yield {"code": code, "name": name, "criterion": r.criterion, "verdict": r.verdict,
                   "reviewed_on": iso(r.reviewed_on), "reviewer": r.reviewer, "note": r.note}


def criterion_rows(conn: Connection) -> Iterator[dict]:
    """Every version of the criteria list, oldest first (the import adds or ends each version)."""
    R = ReviewCriterion.__table__  # type: ignore[attr-defined]
    for c in conn.execute(select(R).order_by(R.c.valid_from.is_not(None), R.c.valid_from, R.c.sort_order, R.c.id)):
        yield {"sort_order": c.sort_order, "name": c.name, "valid_from": iso(c.valid_from),
               "valid_until": iso(c.valid_until)}


def problem_rows(conn: Connection) -> Iterator[dict]:
    units = _names(conn, Unit)
    for chunk in _chunks(conn, Problem.__table__):  # type: ignore[attr-defined]
        projects = _project_names(conn, list({p.project_id for p in chunk}))
        for p in chunk:
            code, name = projects[p.project_id]
            yield {"code": code, "name": name, "text": p.text, "owner": units.get(p.owner_unit_id),
                   "raised_on": iso(p.raised_on), "due_on": iso(p.due_on), "resolved_on": iso(p.resolved_on),
                   "resolution": p.resolution}
