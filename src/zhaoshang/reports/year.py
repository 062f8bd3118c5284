"""年认定: the annual certification — projects signed in the year with at least 1 亿元 and started in
the same year (当年签约当年开工; started, not merely ready), per unit and chain, with amount bands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from zhaoshang.reports import base, common, metrics, periods
from zhaoshang.reports.metrics import BANDS
from zhaoshang.reports.model import Figure, Report, Section, Series
from zhaoshang.reports.same_year import same_year
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.dates import LedgerDate

CERT_COLUMNS = [
    Col("certified", "认定项目\n(个)", "Certified", "int"),
    Col("certified_wan", "总投资\n(亿元)", "Investment\n100M", "yi"),
    *(Col(f"band_counts.{b}", f"{b}亿元\n以上", f">= {b}\n00M", "int") for b in BANDS),
]


def build(session: Session, as_of: dt.date, *, unit: str | None = None, chain: str | None = None,
          stall_days: int = 90, backlog: bool = False) -> Report:
    d = common.directory(session, unit, chain)
    report, _, _ = base.cadence(session, d, "year", as_of, stall_days, backlog)
    period = report.period
    assert period is not None
    cert = metrics.certified(session, period, d.scope)
    unit_rows, unit_ids = _rows(d.units, "unit", cert.units, d.scope.unit_id is None)
    chain_rows, chain_ids = _rows(d.chains, "chain", cert.chains, d.scope.chain_id is None)
    title = f"年认定：{period.start.year}年签约当年开工亿元以上项目"
    title_en = f"Certified: signed and started in {period.start.year}, >= 100M yuan"
    report.sections[0:0] = [
        Section("certified_by_unit", f"{title}（分单位）", f"{title_en}, by unit", [common.unit_col(), *CERT_COLUMNS],
                unit_rows, {"unit": common.TOTAL[0], **cert.total}, unit_ids),
        Section("certified_by_chain", f"{title}（分产业链）", f"{title_en}, by chain",
                [common.chain_col(), *CERT_COLUMNS], chain_rows, {"chain": common.TOTAL[0], **cert.total}, chain_ids),
    ]
    report.meta["certified"] = cert.total
    report.figures.append(monthly_trend(session, d, period))
    ids = metrics.certified_ids(session, period, d.scope)
    rows = common.project_rows(session, ids)
    order = {u.name: i for i, u in enumerate(d.units)}
    listed = sorted(rows.values(), key=lambda r: (order.get(r["unit"], 10**6), _day(r["signed_on"]), r["code"]))
    report.lists.insert(0, common.list_section("certified", listed))
    started = same_year(session, d, period.cutoff)
    report.meta.update(started.json())
    report.lists.insert(1, started.section())
    n, wan = cert.total["certified"], cert.total["certified_wan"]
    from zhaoshang.reports.prose import yi

    report.prose_zh.append(f"{period.start.year}年当年签约当年开工的亿元以上项目{n}个，总投资{yi(wan)}亿元"
                           + "".join(f"；{b}亿元以上{cert.total['band_counts'][b]}个" for b in ("10", "50", "100")
                                     if cert.total["band_counts"][b]) + "。")
    report.prose_en.append(f"Certified for {period.start.year} (signed and started in the year, >= 100M yuan): "
                           f"{n} projects worth {yi(wan)} (100M yuan).")
    if started.rate is not None:
        report.prose_zh.append(f"{started.year}年签约项目{started.signed}个，当年开工或具备开工条件{started.started}个，"
                               f"当年签约当年开工率{started.rate * 100:.1f}%。")
        report.prose_en.append(f"Of {started.signed} signed in {started.year}, {started.started} started or became "
                               f"ready the same year ({started.rate * 100:.1f}%).")
    return base.finish(session, d, report, period)


def monthly_trend(session: Session, d: common.Directory, period: periods.Period) -> Figure:
    """New signings and starts month by month, January to the cut-off."""
    signed, started, labels, labels_en = [], [], [], []
    for month in range(1, period.cutoff.month + 1):
        window = periods.month(dt.date(period.start.year, month, 1))
        window = periods.month(min(window.end, period.cutoff))
        total = metrics.measure(session, window, d.scope, stock=False).total
        signed.append(total["new_signed"])
        started.append(total["new_started"])
        labels.append(f"{month}月")
        labels_en.append(dt.date(2000, month, 1).strftime("%b"))
    year = period.start.year
    return Figure("monthly", f"{year}年各月新签约、新开工项目（个）", f"Signed and started by month, {year}", "line",
                  labels, labels_en, [Series("新签约项目", "Signed", signed),
                                      Series("新开工或具备开工条件项目", "Started or ready", started)])


def _day(text: str | None) -> tuple:
    if not text:
        return (9999, 99, 99)
    parts = [int(x) for x in text.split("-")]
    return LedgerDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None).sort_key()


def _rows(entries: list[common.Entry], key: str, values: dict[int | None, dict[str, Any]],
          with_none: bool) -> tuple[list[dict], list[Any]]:
    rows, ids = [], []
    listed = list(entries)
    if with_none and values.get(None, {}).get("certified"):
        listed.append(common.Entry(None, None))
    for e in listed:
        v = values.get(e.id) or {"certified": 0, "certified_wan": 0, "band_counts": dict.fromkeys(BANDS, 0)}
        rows.append({key: e.name, **v})
        ids.append(e.id)
    return rows, ids
