"""Parse the 推进表's own cells of a project row: leaders in charge, supporting units, the year's
investment plan, completed investment, planned and actual completion, and a remark that ends the
project. What they state goes into the row's values under keys the project table does not have
(leaders, support_unit_ids, plan, completed); the completion dates become the row's `completion`
milestone. No ledger: unit names go through the parser's resolver like the lead unit's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from zhaoshang.importers.cells import CellError, DateValue, amount_of, cleared, date_of, text_of
from zhaoshang.importers.header import Banner, Header
from zhaoshang.vocabulary.cumulative import to_monthly
from zhaoshang.vocabulary.stages import STAGE_ZH, TERMINATED
from zhaoshang.vocabulary.tuijin import _split_leaders as cached_leaders
from zhaoshang.vocabulary.tuijin import is_terminated_remark, split_units

COMPLETION = "completion"  # the milestone kind of 竣工
_KEYS = ("leaders", "support_units", "planned_completion_on", "completed_on")


def has_cells(header: Header) -> bool:
    """Whether a project sheet has any 推进表 column (or a 备注 that may end a project)."""
    return any(k in header.fields for k in (*_KEYS, "note")) or \
        any(k.startswith(("plan:", "completed:")) for k in header.fields)


class TuijinCells:
    """Reads one sheet's 推进表 cells, row by row."""

    def __init__(self, header: Header, banner: Banner, *, year: int | None, today: dt.date | None,
                 unit_id: Callable[[str], int | None]) -> None:
        f = header.fields
        self.labels = header.labels
        self.unit_id = unit_id
        today = today or dt.date.today()
        self.year = year or banner.year or (banner.as_of[0] if banner.as_of else today.year)
        if banner.as_of is not None and banner.as_of[0] == self.year:
            self.as_of_month = banner.as_of[1]
        else:  # 累计/本月 with no 统计时间: this month in this year's ledger, December in a past year's
            self.as_of_month = today.month if self.year == today.year else 12
        self.c_leaders, self.c_support = f.get("leaders"), f.get("support_units")
        self.supports: dict[str, list[int]] = {}  # a 配合单位 cell's text -> its units (cells repeat)
        self.c_note = f.get("note")
        self.c_plan_done = f.get("planned_completion_on"), f.get("completed_on")
        unit = banner.unit if banner.unit in ("万元", "亿元") else "万元"
        self.plan_cols: list[tuple[int, int, str]] = []  # (col, year, unit)
        self.done_cols: list[tuple[int, int, str, int, str]] = []  # (col, year, kind, month, unit)
        for key, col in f.items():
            if key.startswith("plan:"):
                self.plan_cols.append((col, int(key[5:] or self.year), header.units.get(key, unit)))
            elif key.startswith("completed:"):
                _, year_text, kind, month = key.split(":")
                self.done_cols.append((col, int(year_text or self.year), kind, int(month or self.as_of_month),
                                       header.units.get(key, unit)))

    def read(self, row: list[Any], values: dict[str, Any], errors: list[CellError],
             warnings: list[tuple[int | None, str]], date_cache: dict[Any, DateValue | None]
             ) -> tuple[DateValue | None, DateValue | None]:
        """The row's cells into `values`; returns the completion (done, planned) dates."""
        col = self.c_leaders
        if col is not None and (text := text_of(row[col])) is not None:
            values["leaders"] = [] if cleared(text) else list(cached_leaders(text))
        col = self.c_support
        if col is not None and (text := text_of(row[col])) is not None:
            found = self.supports.get(text)
            if found is None:
                ids: list[int] = []
                failed = False
                for name in ([] if cleared(text) else split_units(text)):
                    try:
                        ident = self.unit_id(name)
                    except ValueError as exc:
                        errors.append(CellError(col, name, str(exc)))
                        failed = True
                        continue
                    if ident is not None and ident not in ids:
                        ids.append(ident)
                if not failed:
                    self.supports[text] = found = ids
            values["support_unit_ids"] = list(found or [])
        for col, year, unit in self.plan_cols:
            amount = self._amount(row[col], col, unit, errors, warnings)
            if amount is not False:
                values.setdefault("plan", {})[year] = amount
        for col, year, kind, month, unit in self.done_cols:
            amount = self._amount(row[col], col, unit, errors, warnings)
            if amount is not False and amount is not None:
                values.setdefault("completed", []).append((year, month, kind, amount, col))
        if len(values.get("completed", ())) > 1:  # figures of one row that contradict each other
            points = values["completed"]
            for year in {p[0] for p in points}:
                mine = [p for p in points if p[0] == year]
                for month, reason in to_monthly([(m, kind, amount) for _, m, kind, amount, _ in mine], {})[1]:
                    _, _, _, amount, col = next((p for p in mine if p[1] == month), mine[0])
                    errors.append(CellError(col, amount, f"完成投资：{year}年{reason}"))
        done = plan = None
        col = self.c_plan_done[1]
        if col is not None and row[col] not in ("", None):
            try:
                done = date_of(row[col], self.year, date_cache)
            except ValueError as exc:
                errors.append(CellError(col, row[col], str(exc)))
        col = self.c_plan_done[0]
        if col is not None and row[col] not in ("", None):
            try:
                plan = date_of(row[col], self.year, date_cache)
            except ValueError as exc:
                warnings.append((col, f"{self.labels[col]}“{text_of(row[col])}”未录入：{exc}"))
        return done, plan

    def _amount(self, value: Any, col: int, unit: str, errors: list[CellError],
                warnings: list[tuple[int | None, str]]) -> int | bool | None:
        """万元 of an investment cell; None for 待定 (said with its cell); False when blank or bad."""
        if value == "" or value is None:
            return False
        try:
            amount = amount_of(value, unit)
        except ValueError as exc:
            errors.append(CellError(col, value, str(exc)))
            return False
        if amount is None:
            warnings.append((col, f"{self.labels[col]}“{text_of(value)}”：金额未知，按空值录入"))
            return None
        if amount[0] is None:
            errors.append(CellError(col, value, f"{self.labels[col]}应为人民币金额，而不是“{text_of(value)}”"))
            return False
        return amount[0]

    def settle(self, values: dict[str, Any], stage: str, stated: bool, word: Callable[[str], str | None],
               warnings: list[tuple[int | None, str]], completion: tuple[DateValue | None, DateValue | None] | None,
               dates: dict[str, DateValue | None], plans: dict[str, DateValue]) -> tuple[str, bool]:
        """The row's completion milestone; a remark that ends the project terminates it (with a warning
        naming the cell); another stage word there that disagrees with the stage column is said, and
        the stage column stands."""
        if completion is not None:
            if completion[0] is not None:
                dates[COMPLETION] = completion[0]
            if completion[1] is not None:
                plans[COMPLETION] = completion[1]
        text = values.get("note")
        if not text or self.c_note is None:
            return stage, stated
        if is_terminated_remark(text):
            if stage != TERMINATED:
                warnings.append((self.c_note, f"备注“{text}”：项目记为终止（原为{STAGE_ZH.get(stage, stage)}）"))
            return TERMINATED, True
        said = word(text)
        if said is not None and said != stage:
            warnings.append((self.c_note, f"备注“{text}”与项目阶段（{STAGE_ZH.get(stage, stage)}）不一致："
                                          "以项目阶段为准"))
        return stage, stated
