"""到位资金 columns of a project sheet: which headers are funds in place, for which period and source,
and what each row's cells say (no ledger; the import's write step turns them into monthly amounts).

Headers: "1-6月累计到位", "1—6月到位资金（万元）", "6月到位", "本月到位资金", "累计到位", with the source
in the words (省外到位资金, 省内, 到位外资, 实际使用外资) or the unit (万美元: 外资); without either the
figure is 省外 (the headline 考核 figure). A column's amounts are in its header's unit, else the
sheet's (单位：亿元), else 万元 (外资: 万美元). A header without a month (累计到位, 本月到位) is the
sheet's month: the newest month another funds column names, else the month of the import's day in
the sheet's year, December for an earlier year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhaoshang.importers.cells import CellError, amount_of, text_of
from zhaoshang.vocabulary.cumulative import read_period_header, to_monthly

MEASURES = ("到位", "到位资金", "实际到位", "实际到位资金", "资金到位", "到位金额", "实际到位金额")
FOREIGN_MEASURES = (*MEASURES, "实际使用", "使用")
_SOURCES = (("省外", "outside"), ("省内", "inside"), ("外资", "foreign"))
PREFIX = "funds|"


def funds_field(base: str) -> str | None:
    """The field key of a funds header ("funds|cumulative|6|outside"), or None when it is none."""
    if "到位" not in base and "外资" not in base:
        return None
    source = ""
    for word, key in _SOURCES:
        if word in base:
            source, base = key, base.replace(word, "", 1)
            break
    reading = read_period_header(base, FOREIGN_MEASURES if source == "foreign" else MEASURES)
    if reading is None:
        return None
    return f"{PREFIX}{reading.kind}|{reading.month or ''}|{source}"


@dataclass(frozen=True)
class FundsCell:
    """One figure a row gives: its column, month (1–12), kind, source and whole amount."""

    col: int
    year: int
    month: int
    kind: str
    source: str
    amount: int


class FundsColumns:
    """The funds columns of one sheet, read row by row."""

    def __init__(self, fields: dict[str, int], units: dict[str, str], sheet_unit: str | None, year: int | None,
                 today: dt.date | None) -> None:
        today = today or dt.date.today()
        self.year = year or today.year
        # 本月 / 累计 without a month: the sheet's newest month (1-7月累计 beside 本月到位: July), else
        # the month of the import's day in its year, else December of an earlier year
        named = [int(k.split("|")[2]) for k in fields if k.startswith(PREFIX) and k.split("|")[2]]
        as_of = max(named) if named else today.month if self.year == today.year else 12
        self.cols: list[tuple[int, int, str, str, str]] = []  # (col, month, kind, source, unit)
        for key, col in fields.items():
            if not key.startswith(PREFIX):
                continue
            _, kind, month, source = key.split("|")
            unit = units.get(key)
            if not source:
                source = "foreign" if unit == "万美元" else "outside"
            if source == "foreign":
                unit = "万美元"
            self.cols.append((col, int(month) if month else as_of, kind, source, unit or sheet_unit or "万元"))

    @classmethod
    def of(cls, fields: dict[str, int], units: dict[str, str], sheet_unit: str | None, year: int | None,
           today: dt.date | None) -> FundsColumns | None:
        return cls(fields, units, sheet_unit, year, today) if any(k.startswith(PREFIX) for k in fields) else None

    def read(self, row: list[Any], errors: list[CellError]) -> list[FundsCell] | None:
        """The row's figures; a bad cell or figures that contradict each other are cell errors."""
        cells: list[FundsCell] = []
        for col, month, kind, source, unit in self.cols:
            value = row[col] if col < len(row) else None
            if value is None or value == "":
                continue
            try:
                amount = amount_of(value, unit)
            except ValueError as exc:
                errors.append(CellError(col, value, str(exc)))
                continue
            if amount is None:
                continue
            figure = amount[1] if source == "foreign" else amount[0]
            if figure is None:
                want = "外资以万美元计" if source == "foreign" else "应以万元或亿元计"
                errors.append(CellError(col, value, f"到位资金“{text_of(value)}”的币种与本列不符（{want}）"))
                continue
            cells.append(FundsCell(col, self.year, month, kind, source, figure))
        for source in {c.source for c in cells}:
            mine = [c for c in cells if c.source == source]
            _, wrong = to_monthly([(c.month, c.kind, c.amount) for c in mine], {})
            for month, reason in wrong:
                cell = next((c for c in mine if c.month == month), mine[0])
                errors.append(CellError(cell.col, row[cell.col], reason))
        return cells or None
