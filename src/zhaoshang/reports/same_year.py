"""当年签约当年开工: of the projects signed in a year (to the cut-off), the share that started or
became ready to start in the same year by then, and those that did not (yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from zhaoshang.reports import common, metrics, periods
from zhaoshang.reports.model import Section
from zhaoshang.vocabulary.dates import LedgerDate


@dataclass
class SameYear:
    year: int
    signed: int
    started: int
    not_started: list[dict]

    @property
    def rate(self) -> float | None:
        """started / signed, three decimals; None when nothing was signed."""
        return round(self.started / self.signed, 3) if self.signed else None

    def json(self) -> dict:
        return {"same_year_start_rate": self.rate,
                "same_year_start": {"year": self.year, "signed": self.signed, "started": self.started}}

    def section(self) -> Section:
        section = common.list_section("not_started_same_year", self.not_started)
        rate = "—" if self.rate is None else f"{self.rate * 100:.1f}%"
        section.note_zh = (f"{self.year}年签约{self.signed}个，当年开工或具备开工条件{self.started}个，"
                           f"当年签约当年开工率{rate}。")
        section.note_en = (f"Signed in {self.year}: {self.signed}; started or ready the same year: {self.started} "
                           f"({rate}).")
        return section


def _date(text: str | None) -> LedgerDate | None:
    if not text:
        return None
    parts = [int(x) for x in text.split("-")]
    return LedgerDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def same_year(session: Session, d: common.Directory, cutoff: dt.date) -> SameYear:
    """The year of `cutoff`: signed in it by then, and started or ready in it by then."""
    window = periods.year(cutoff)
    found = metrics.window_projects(session, window, d.scope, buckets=("signed",))["signed"]
    rows = common.project_rows(session, [x.project_id for x in found])
    started, waiting = 0, []
    for x in found:
        row = rows[x.project_id]
        dates = [day for day in (_date(row["ready_on"]), _date(row["started_on"])) if day is not None]
        if any(day.year == cutoff.year and not day.after(cutoff) for day in dates):
            started += 1
        else:
            waiting.append(row)
    order = {u.name: i for i, u in enumerate(d.units)}
    waiting.sort(key=lambda r: (order.get(r["unit"], 10**6), r["signed_on"] or "", r["code"]))
    return SameYear(cutoff.year, len(found), started, waiting)
