"""A project row's 存在问题 and the columns beside it (协调单位, 提出时间, 解决时限, 办结时间, 解决情况):
the cells parse.py hands over, read into ProblemCells or cell errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhaoshang.importers.cells import CellError, DateValue, cleared, problem_day, text_of
from zhaoshang.vocabulary.problems import is_no_problem


@dataclass(slots=True)
class ProblemCells:
    """What a row's 存在问题 column and the columns beside it state (None: not stated)."""

    text: str
    owner_unit_id: int | None = None
    raised_on: dt.date | None = None
    due_on: dt.date | None = None
    resolved_on: dt.date | None = None
    resolution: str | None = None


def problem_cells(row: list[Any], problem_col: int, cols: dict[str, int | None], labels: list[str],
                  year: int | None, date_cache: dict[Any, DateValue | None], unit_id: Callable[[str], int | None],
                  errors: list[CellError], warnings: list[tuple[int | None, str]]) -> ProblemCells | None:
    """The row's 存在问题 with its owner (a unit's name, `unit_id` finds it), dates and resolution. A
    deadline of a month (2023年7月) is its last day; 长期/尽快 mean no fixed deadline. The day a problem
    was raised or resolved must be a day."""
    text = text_of(row[problem_col])
    if is_no_problem(text):
        return None
    assert text is not None
    cells = ProblemCells(text)
    col = cols["owner"]
    if col is not None:
        owner = text_of(row[col])
        if owner is not None and not cleared(owner):
            try:
                cells.owner_unit_id = unit_id(owner)
            except ValueError as exc:
                errors.append(CellError(col, owner, str(exc)))
    for key in ("raised_on", "due_on", "resolved_on"):
        col = cols[key]
        if col is None:
            continue
        try:
            setattr(cells, key, problem_day(row[col], key, year, date_cache, labels[col]))
        except ValueError as exc:
            errors.append(CellError(col, row[col], str(exc)))
    col = cols["resolution"]
    if col is not None:
        resolution = text_of(row[col])
        if resolution is not None and not cleared(resolution):
            cells.resolution = resolution
            if cells.resolved_on is None and resolution.startswith(("已解决", "已办结", "已完成", "已协调解决")):
                warnings.append((col, f"问题“{text}”写明{resolution[:3]}，但没有办结时间：仍按未解决统计"))
    return cells
