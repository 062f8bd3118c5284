"""当年签约当年开工: of the projects signed in a year (to the cut-off), the share that started or
became ready to start in the same year by then, and those that did not (yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from zhaoshang.reports import common, metrics, periods
from zhaoshang.reports.model import Section


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


def same_year(session: Session, d: common.Directory, cutoff: dt.date, *, listing: bool = True) -> SameYear:
    """The year of `cutoff`: signed in it by then, and started or ready (first) in it by then — one
    window query for both; with `listing`, the listing rows of those not started."""
    window = periods.year(cutoff)
    found = metrics.window_project_ids(session, window, d.scope, buckets=("signed", "started"))
    signed = found["signed"]
    started = set(found["started"])
    waiting = [pid for pid in signed if pid not in started]
    rows = list(common.project_rows(session, waiting).values()) if listing else []
    order = {u.name: i for i, u in enumerate(d.units)}
    rows.sort(key=lambda r: (order.get(r["unit"], 10**6), r["signed_on"] or "", r["code"]))
    return SameYear(cutoff.year, len(signed), len(signed) - len(waiting), rows)
