"""Extra per-unit columns and lists that other modules add to the cadence reports.

Each entry of EXTENSIONS names a function "module:function" called as `fn(report, ctx)` after a
report is built, with `ctx` an ExtensionContext. It adds what it owns through the Report's extension
points, for example the problems a dispatch coordinates:

    def extend(report, ctx):
        if report.kind != "week":
            return
        values = {unit_id: {"problems_open": n} for unit_id, n in count_open(ctx.session, ctx.as_of)}
        report.add_unit_columns([Col("problems_open", "未解决问题", "Open problems", "int")], values,
                                totals={"problems_open": sum(...)})
        report.add_list("problems_overdue", "逾期问题", "Overdue problems", columns, rows)

and registers itself with one line here: "zhaoshang.reports.problems:extend". `values` is keyed by
unit id (None for projects without a unit), as `ctx.directory.units` lists them; the columns appear
in every format and the values in the JSON by_unit rows and totals.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from zhaoshang.reports.common import Directory
    from zhaoshang.reports.model import Report
    from zhaoshang.reports.periods import Period

EXTENSIONS: list[str] = ["zhaoshang.reports.problems:extend", "zhaoshang.reports.returns:extend",
                         "zhaoshang.reports.investment:extend"]


@dataclass
class ExtensionContext:
    session: Session
    directory: Directory
    period: Period
    as_of: dt.date


def apply(report: Report, ctx: ExtensionContext) -> None:
    for path in EXTENSIONS:
        module, _, name = path.partition(":")
        getattr(importlib.import_module(module), name)(report, ctx)
