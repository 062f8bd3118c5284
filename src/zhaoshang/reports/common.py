"""What the cadence reports share: the directory of units and chains, the per-unit and per-chain
sections, the project lists behind the numbers, stalled projects and overdue milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from zhaoshang.models import Chain, Project, Unit
from zhaoshang.reports import metrics
from zhaoshang.reports.metrics import Breakdown, Scope
from zhaoshang.reports.model import TOTAL_ZH, Section
from zhaoshang.reports.periods import Period
from zhaoshang.services.directory import find_chain, find_unit
from zhaoshang.services.projects import listing_query, listing_row
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.dates import LedgerDate
from zhaoshang.vocabulary.listings import PROJECTS_FULL, TRIPS
from zhaoshang.vocabulary.milestones import stage_dates, stalled_params

LEADERSHIP = "leadership"
TOTAL = (TOTAL_ZH, "Total")


@dataclass(frozen=True)
class Entry:
    """A unit or chain as the reports list it."""

    id: int | None
    name: str | None
    kind: str | None = None
    sort_order: int = 0


@dataclass
class Directory:
    units: list[Entry]
    chains: list[Entry]
    scope: Scope
    unit_name: str | None = None
    chain_name: str | None = None

    def ranked_units(self) -> list[Entry]:
        """Units that take part in rankings: all but the leadership (区委区政府)."""
        return [u for u in self.units if u.kind != LEADERSHIP]


def directory(session: Session, unit: str | None = None, chain: str | None = None) -> Directory:
    """Units and chains in the official order, narrowed to `unit` / `chain` when given."""
    unit_row = find_unit(session, unit) if unit else None
    chain_row = find_chain(session, chain) if chain else None
    units = [Entry(u.id, u.name, u.kind, u.sort_order)
             for u in session.exec(select(Unit).order_by(Unit.sort_order, Unit.id)).all()
             if unit_row is None or u.id == unit_row.id]
    chains = [Entry(c.id, c.name, None, c.sort_order)
              for c in session.exec(select(Chain).order_by(Chain.sort_order, Chain.id)).all()
              if chain_row is None or c.id == chain_row.id]
    scope = Scope(unit_row.id if unit_row else None, chain_row.id if chain_row else None)
    return Directory(units, chains, scope, unit_row.name if unit_row else None,
                     chain_row.name if chain_row else None)


def district_name(session: Session) -> str | None:
    """The district the ledger is of (账本设置 district), as every page of a report names it."""
    from zhaoshang.services.settings import get_setting

    return get_setting(session, "district")


def letterhead(session: Session, report: Any, as_of: dt.date) -> None:
    """What a report carries for its documents: the district, the as-of day and the bulletin's closing."""
    from zhaoshang.services.settings import get_setting

    report.district, report.as_of = district_name(session), as_of
    report.closing = get_setting(session, "bulletin_closing")


# --------------------------------------------------------------------------- columns


def metric_columns(keys: Iterable[str], prefix: str = "") -> list[Col]:
    """Report columns for metric keys; `prefix` reaches into a nested dict ("ytd.")."""
    out = []
    for key in keys:
        if key.startswith("band_counts."):
            band = key.split(".")[1]
            zh, en, kind = f"{band}亿元\n以上", f">= {band}\n00M", "int"
        else:
            zh, en, kind = METRIC_LABELS[key]
        out.append(Col(prefix + key, zh, en, kind,
                       optional=key in SPARSE or key.endswith("usd_wan") or key.startswith("band_counts.")))
    return out


# Column labels of the report tables; "\n" marks where a terminal header breaks (other formats join
# the lines). The full names are in labels.METRIC_ZH.
METRIC_LABELS: dict[str, tuple[str, str, str]] = {
    "main_leader_trips": ("主要领导\n外出", "Main\nleader\ntrips", "int"),
    "main_leader_visits": ("主要领导\n走访项目", "Main-leader\nvisits", "int"),
    "main_leader_negotiations": ("主要领导\n参与洽谈", "Main-leader\nnegotiations", "int"),
    "trips": ("外出\n招商", "Trips", "int"),
    "trip_visits": ("走访\n项目", "Visits", "int"),
    "trip_negotiations": ("参与\n洽谈", "Negotiations", "int"),
    "new_leads": ("项目\n线索", "Leads", "int"),
    "new_planned": ("谋划\n项目", "Planned", "int"),
    "new_signed": ("签约\n(个)", "Signed", "int"),
    "new_signed_wan": ("签约\n(亿元)", "Signed\n100M", "yi"),
    "new_signed_usd_wan": ("签约外资\n(万美元)", "Signed\n10k USD", "usd"),
    "new_started": ("开工或\n具备(个)", "Started\n/ready", "int"),
    "new_started_wan": ("开工\n(亿元)", "Started\n100M", "yi"),
    "new_started_usd_wan": ("开工外资\n(万美元)", "Started\n10k USD", "usd"),
    "new_producing": ("投产\n(个)", "Producing", "int"),
    "new_registered": ("入库\n纳统", "Regis-\ntered", "int"),
    "funds_wan": ("到位资金\n(亿元)", "Funds in\n100M", "yi"),
    "funds_usd_wan": ("到位外资\n(万美元)", "Funds\n10k USD", "usd"),
    "marshal_projects": ("挂帅\n项目", "Marshal", "int"),
}
DISPATCH = ("main_leader_trips", "trips", "new_leads", "new_planned", "new_signed", "new_signed_wan",
            "new_signed_usd_wan", "new_started", "new_started_wan", "new_started_usd_wan", "new_producing",
            "new_registered", "funds_wan", "funds_usd_wan")
YTD = ("main_leader_trips", "new_leads", "new_planned", "new_signed", "new_signed_wan", "new_signed_usd_wan",
       "new_started", "new_started_wan", "new_started_usd_wan", "new_producing", "new_registered", "funds_wan",
       "funds_usd_wan")
CHAIN = ("new_leads", "new_signed", "new_signed_wan", "new_signed_usd_wan", "new_started", "new_started_wan",
         "new_started_usd_wan", "new_producing", "new_registered", "funds_wan", "funds_usd_wan", "marshal_projects")
CHAIN_YTD = ("new_leads", "new_signed", "new_signed_wan", "new_signed_usd_wan", "new_started", "new_started_wan",
             "new_started_usd_wan", "new_producing", "new_registered", "funds_wan", "funds_usd_wan",
             "band_counts.1", "band_counts.10")
# Columns shown only where the window holds any (a 外资 column, a figure the ledger may not keep).
SPARSE = frozenset({"new_signed_usd_wan", "new_started_usd_wan", "new_registered", "funds_wan", "funds_usd_wan"})


def unit_col(lang_key: str = "unit") -> Col:
    return Col(lang_key, "责任单位", "Unit")


def chain_col() -> Col:
    return Col("chain", "产业链", "Chain")


# --------------------------------------------------------------------------- sections


def _metrics_row(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values.get(k) for k in metrics.METRICS} | {
        "band_counts": dict(values.get("band_counts") or {}), "band_wan": dict(values.get("band_wan") or {}),
        "band_usd_left_out": values.get("band_usd_left_out") or 0}


def _nonzero(values: dict[str, Any]) -> bool:
    return any(values.get(k) for k in metrics.METRICS)


def by_unit(d: Directory, window: Breakdown, ytd: Breakdown | None, extra: dict[str, Breakdown] | None = None,
            ) -> tuple[list[dict], list[Any], dict]:
    """Rows per unit in the official order (plus one for projects without a unit when it has
    numbers), each with its window metrics and nested `ytd` (and any `extra` windows); and the total."""
    rows, ids = [], []
    entries = list(d.units)
    if d.scope.unit_id is None and (_nonzero(window.unit(None)) or (ytd and _nonzero(ytd.unit(None)))):
        entries.append(Entry(None, None, None))
    for u in entries:
        row: dict[str, Any] = {"unit": u.name, **_metrics_row(window.unit(u.id))}
        if ytd is not None:
            row["ytd"] = _metrics_row(ytd.unit(u.id))
        for key, other in (extra or {}).items():
            row[key] = _metrics_row(other.unit(u.id))
        if not d.scope.trips_apply:
            for key in metrics.TRIP_METRICS:
                row[key] = None
        rows.append(row)
        ids.append(u.id)
    total: dict[str, Any] = {"unit": TOTAL[0], **_metrics_row(window.total)}
    if ytd is not None:
        total["ytd"] = _metrics_row(ytd.total)
    for key, other in (extra or {}).items():
        total[key] = _metrics_row(other.total)
    return rows, ids, total


def by_chain(d: Directory, window: Breakdown, ytd: Breakdown | None, extra: dict[str, Breakdown] | None = None,
             ) -> tuple[list[dict], list[Any], dict]:
    rows, ids = [], []
    entries = list(d.chains)
    if d.scope.chain_id is None and (_nonzero(window.chain(None)) or (ytd and _nonzero(ytd.chain(None)))):
        entries.append(Entry(None, None))
    project_keys = [k for k in metrics.METRICS if k not in metrics.TRIP_METRICS]

    def keep(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in _metrics_row(values).items() if k in project_keys or k.startswith("band_")}

    for c in entries:
        row: dict[str, Any] = {"chain": c.name, **keep(window.chain(c.id))}
        if ytd is not None:
            row["ytd"] = keep(ytd.chain(c.id))
        for key, other in (extra or {}).items():
            row[key] = keep(other.chain(c.id))
        rows.append(row)
        ids.append(c.id)
    total = {"chain": TOTAL[0], **keep(window.total)}
    if ytd is not None:
        total["ytd"] = keep(ytd.total)
    for key, other in (extra or {}).items():
        total[key] = keep(other.total)
    return rows, ids, total


def standard_sections(d: Directory, period: Period, ytd_period: Period, window: Breakdown,
                      ytd: Breakdown, window_keys: Iterable[str] = DISPATCH,
                      extra: dict[str, Breakdown] | None = None) -> list[Section]:
    """by_unit (window), the same rows' year-to-date columns, and by_chain with both; `extra` adds
    other windows (last_year, previous) to every row."""
    rows, ids, total = by_unit(d, window, ytd, extra)
    crows, cids, ctotal = by_chain(d, window, ytd, extra)
    window_keys, ytd_keys = present(window_keys, [*rows, total]), present(YTD, [*rows, total], "ytd")
    chain_keys, chain_ytd = present(CHAIN, [*crows, ctotal]), present(CHAIN_YTD, [*crows, ctotal], "ytd")
    start, cutoff = ytd_period.start, ytd_period.cutoff
    ytd_zh = f"年度累计（{start.month}月{start.day}日至{cutoff.month}月{cutoff.day}日）"
    ytd_en = f"Year to date ({ytd_period.start} – {ytd_period.cutoff})"
    sections = [
        Section("by_unit", f"分单位：{period.label('zh')}", f"By unit: {period.label('en')}",
                [unit_col(), *metric_columns(window_keys)], rows, total, ids),
        Section("by_unit_ytd", f"分单位：{ytd_zh}", f"By unit: {ytd_en}",
                [unit_col(), *metric_columns(ytd_keys, prefix="ytd.")], rows, total, ids, in_json=False),
    ]
    sections.append(Section("by_chain", f"分产业链：{period.label('zh')}", f"By chain: {period.label('en')}",
                            [chain_col(), *metric_columns(chain_keys)], crows, ctotal, cids))
    sections.append(Section("by_chain_ytd", f"分产业链：{ytd_zh}", f"By chain: {ytd_en}",
                            [chain_col(), *metric_columns(chain_ytd, prefix="ytd.")], crows, ctotal, cids,
                            in_json=False))
    return sections


def present(keys: Iterable[str], rows: list[dict], nested: str | None = None) -> list[str]:
    """`keys` less the sparse ones (外资, 入库, 到位资金) no row has a figure for: a table shows 签约外资
    only where its window holds any, in every format (the JSON rows keep every key)."""
    def value(row: dict, key: str) -> Any:
        return (row.get(nested) or {}).get(key) if nested else row.get(key)

    return [k for k in keys if k not in SPARSE or any(value(r, k) for r in rows)]


# --------------------------------------------------------------------------- project lists


def project_rows(session: Session, ids: Iterable[int]) -> dict[int, dict]:
    """Listing rows (the keys of `zs projects list`) of the given projects, by id."""
    wanted = sorted(set(ids))
    out: dict[int, dict] = {}
    P = Project.__table__  # type: ignore[attr-defined]
    query = listing_query()
    conn = session.connection()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        dates = stage_dates(session, chunk)
        for row in conn.execute(query.where(P.c.id.in_(chunk))):
            out[row.id] = listing_row(row, row.unit, row.chain, dates.get(row.id, {}))
    return out


def _order(d: Directory) -> dict[str | None, int]:
    return {u.name: i for i, u in enumerate(d.units)}


# The listing's columns (every key of `zs projects list --format json`), with headers that break
# in a terminal.
_SHORT = {"investment_wan": ("总投资\n(亿元)", "Investment\n(100M CNY)"),
          "investment_usd_wan": ("外资\n(万美元)", "Foreign\n(10k USD)"),
          "ready_on": ("具备开工\n条件时间", "Ready"), "produced_on": ("投产\n时间", "Producing")}
LIST_COLUMNS = [replace(c, zh=_SHORT[c.key][0], en=_SHORT[c.key][1]) if c.key in _SHORT else c
                for c in PROJECTS_FULL]

LIST_TITLES = {
    "signed": ("新签约项目", "Signed"),
    "started": ("新开工或具备开工条件项目", "Started or ready"),
    "producing": ("新投产项目", "Producing"),
    "leads": ("新增项目线索", "New leads"),
    "planned": ("新谋划项目", "Newly planned"),
    "stalled": ("签约未开工项目（停滞）", "Signed, not started (stalled)"),
    "overdue_milestones": ("逾期节点", "Overdue milestones"),
    "trips": ("外出招商", "Trips"),
    "certified": ("当年签约当年开工亿元以上项目", "Signed and started this year, >= 100M"),
    "registered": ("新入库纳统项目", "Newly registered"),
    "not_started_same_year": ("当年签约尚未开工项目", "Signed this year, not yet started"),
}
BUCKET_LIST = {"signed": "signed", "started": "started", "producing": "producing", "lead": "leads",
               "planned": "planned", "registered": "registered"}
LIST_ORDER = ("signed", "started", "producing", "registered", "leads", "planned")


def window_lists(session: Session, d: Directory, period: Period) -> list[Section]:
    """The projects behind the window's stage counts, each list ordered by date, unit, code."""
    found = metrics.window_projects(session, period, d.scope)
    rows = project_rows(session, [x.project_id for items in found.values() for x in items])
    order = _order(d)
    lists: dict[str, Section] = {}
    for bucket, items in found.items():
        key = BUCKET_LIST[bucket]
        items = sorted(items, key=lambda x: (LedgerDate.stored(x.day, x.precision).sort_key(),  # type: ignore[union-attr]
                                             order.get(rows[x.project_id]["unit"], 10**6),
                                             rows[x.project_id]["code"]))
        lists[key] = list_section(key, [rows[x.project_id] for x in items])
    # 入库纳统 is a figure many ledgers do not keep: its list shows when the window has any
    return [lists[k] for k in LIST_ORDER if k in lists and (k != "registered" or lists[k].rows)]


STALLED_COLUMNS = [*LIST_COLUMNS, Col("days_since_signed", "签约天数", "Days since signed", "int")]
OVERDUE_COLUMNS = [
    *LIST_COLUMNS[:8],
    Col("milestone", "逾期节点", "Milestone", "milestone"),
    Col("planned_on", "计划时间", "Planned", "date"),
    Col("days_late", "逾期天数", "Days late", "int"),
]


def stalled_count(session: Session, d: Directory, as_of: dt.date, stall_days: int) -> int:
    """How many projects are stalled at as-of (see `stalled`)."""
    query = metrics.stalled_query(d.scope, count=True)
    return int(session.connection().execute(query, stalled_params(as_of, stall_days)).scalar() or 0)


def stalled(session: Session, d: Directory, as_of: dt.date, stall_days: int,
            since: dt.date | None = None) -> list[dict]:
    """Signed more than `stall_days` days before as-of (a month-only date: its whole month) and, by
    as-of, not started, not ready and not terminated; longest first. With `since`, only those that
    became stalled on or after that day (a report window's)."""
    query = metrics.stalled_query(d.scope, windowed=since is not None)
    found = []
    for pid, day, precision in session.connection().execute(query, stalled_params(as_of, stall_days, since)):
        signed = LedgerDate.stored(day, precision)
        assert signed is not None
        found.append((pid, (as_of - signed.last).days))
    rows = project_rows(session, [pid for pid, _ in found])
    out = [{**rows[pid], "days_since_signed": days} for pid, days in found]
    order = _order(d)
    out.sort(key=lambda r: (-r["days_since_signed"], order.get(r["unit"], 10**6), r["code"]))
    return out


def overdue(session: Session, d: Directory, as_of: dt.date, since: dt.date | None = None) -> list[dict]:
    """Planned milestones not done whose date has passed (as `zs milestones overdue` shows them);
    with `since`, only those that fell overdue on or after that day."""
    from zhaoshang.services.milestones import overdue as overdue_milestones

    late = overdue_milestones(session, as_of, d.unit_name, since=since)
    if not late:
        return []
    ids = dict(session.exec(select(Project.code, Project.id).where(
        col(Project.code).in_(sorted({m["code"] for m in late})))).all())
    rows = project_rows(session, ids.values())
    out = []
    for m in late:
        row = rows[ids[m["code"]]]
        if d.chain_name is not None and row["chain"] != d.chain_name:
            continue
        out.append({**row, "milestone": m["kind"], "planned_on": m["planned_on"], "days_late": m["days_late"]})
    return out


def stalled_and_backlog(session: Session, d: Directory, as_of: dt.date, stall_days: int,
                        since: dt.date | None) -> tuple[list[dict], dict[str, int]]:
    """The stalled list (see `stalled`) and the backlog: how many projects are stalled and how many
    planned milestones are overdue at as-of, all of them (a report's lists hold its window's)."""
    counts = {"stalled": stalled_count(session, d, as_of, stall_days),
              "overdue_milestones": metrics.overdue_count(session, d.scope, as_of)}
    return stalled(session, d, as_of, stall_days, since), counts


TRIP_KEYS = ("date", "unit", "leader", "is_main_leader", "destination", "visits", "negotiations")
TRIP_COLUMNS = [c for c in TRIPS if c.key in TRIP_KEYS]


def trips(session: Session, d: Directory, period: Period) -> list[dict]:
    if not d.scope.trips_apply:
        return []
    from zhaoshang.services.trips import list_trips

    rows = list_trips(session, d.unit_name, period.start, period.cutoff)
    return [{k: r[k] for k in TRIP_KEYS} for r in rows]


# What a terminal shows of each list (files get every column).
_NAMED = ["code", "name", "investment_wan", "investment_usd_wan", "unit"]
LIST_TERMINAL: dict[str, list[str]] = {
    "signed": [*_NAMED, "stage", "signed_on", "marshal"],
    "started": [*_NAMED, "stage", "ready_on", "started_on", "marshal"],
    "producing": [*_NAMED, "started_on", "produced_on"],
    "leads": [*_NAMED, "chain", "stage"],
    "planned": [*_NAMED, "chain", "stage"],
    "stalled": [*_NAMED, "signed_on", "days_since_signed"],
    "overdue_milestones": ["code", "name", "unit", "stage", "milestone", "planned_on", "days_late"],
    "certified": [*_NAMED, "chain", "signed_on", "started_on"],
    "registered": [*_NAMED, "chain", "stage"],
    "not_started_same_year": [*_NAMED, "stage", "signed_on"],
}


def list_section(key: str, rows: list[dict], columns: list[Col] | None = None) -> Section:
    zh, en = LIST_TITLES[key]
    return Section(key, zh, en, list(columns or LIST_COLUMNS), rows, terminal=LIST_TERMINAL.get(key))
