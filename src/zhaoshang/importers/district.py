"""The district's other sheets: units (责任单位), chains (产业链), trips (外出招商), campaign targets
(会战目标), project milestones (项目节点), joint reviews (联审) and their criteria (联审标准), problems
(问题协调), stage words (阶段词) and settings (账本设置).

Each parser turns one data row into a plain dict of what it states, or cell errors. Names of units,
chains, metrics and milestone kinds stay text here: the import service resolves them against the
ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhaoshang.importers.cells import (
    CellError,
    amount_of,
    cleared,
    date_of,
    int_of,
    problem_day,
    text_of,
    yes_no,
)
from zhaoshang.importers.header import Banner, Header


class RowParser:
    """Shared cell access for one sheet."""

    def __init__(self, header: Header, banner: Banner, year: int | None) -> None:
        self.f = header.fields
        self.labels = header.labels
        self.units = header.units
        self.banner = banner
        self.year = year or banner.year
        self.date_cache: dict[Any, Any] = {}
        self.carry: dict[str, Any] = {}

    def cell(self, row: list[Any], key: str) -> Any:
        col = self.f.get(key)
        if col is None or col >= len(row):
            return ""
        return row[col]

    def text(self, row: list[Any], key: str) -> str | None:
        text = text_of(self.cell(row, key))
        return None if text is None or cleared(text) else text

    def col(self, key: str) -> int:
        return self.f.get(key, 0)

    def day(self, value: Any, what: str) -> dt.date | None:
        """A blank cell (None) or a whole day; a month only raises ValueError naming `what`."""
        when = date_of(value, self.year, self.date_cache) if value != "" else None
        if when is not None and when[1] != "day":
            raise ValueError(f"{what}“{text_of(value)}”需要具体到日")
        return when[0] if when else None

    def order(self, row: list[Any], out: dict[str, Any]) -> list[CellError]:
        """The row's 序号, when the sheet has one and the cell is filled."""
        if "order" in self.f and (value := self.cell(row, "order")) != "":
            try:
                out["order"] = int_of(value)
            except ValueError as exc:
                return [CellError(self.col("order"), value, str(exc))]
        return []

    def missing_project(self) -> CellError:
        return CellError(self.col("code") if "code" in self.f else self.col("name"), "", "缺少项目编号或名称")


def _named(p: RowParser, row: list[Any], missing: str, keys: tuple[str, ...]) -> tuple[dict | None, list[CellError]]:
    """A unit or chain row: its name, the text columns it fills and its order."""
    name = p.text(row, "name")
    if name is None:
        return None, [CellError(p.col("name"), "", missing)]
    out: dict[str, Any] = {"name": name}
    for key in keys:
        if key in p.f and text_of(p.cell(row, key)) is not None:
            out[key] = p.text(row, key)
    errors = p.order(row, out)
    return (None if errors else out), errors


def parse_unit(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    return _named(p, row, "缺少单位名称", ("kind", "leader", "class"))


def parse_chain(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    return _named(p, row, "缺少产业链名称", ("chief", "anchor_firm", "lead_unit"))


def parse_trip(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    errors: list[CellError] = []
    out: dict[str, Any] = {}
    value = p.cell(row, "date")
    try:
        out["date"] = p.day(value, "外出日期")
        if out["date"] is None:
            errors.append(CellError(p.col("date"), value, "缺少日期"))
    except ValueError as exc:
        errors.append(CellError(p.col("date"), value, str(exc)))
    unit = p.text(row, "unit") or p.banner.reporting_unit
    if unit is None:
        errors.append(CellError(p.col("unit"), "", "缺少单位"))
    out["unit"] = unit
    for key in ("leader", "destination", "region", "note"):
        out[key] = p.text(row, key)
    for key in ("visits", "negotiations"):
        value = p.cell(row, key)
        if value == "" or (isinstance(value, str) and cleared(value.strip())):
            out[key] = 0
            continue
        try:
            out[key] = int_of(value)
        except ValueError as exc:
            errors.append(CellError(p.col(key), value, str(exc)))
    try:
        out["main"] = yes_no(p.cell(row, "main"))
    except ValueError as exc:
        errors.append(CellError(p.col("main"), p.cell(row, "main"), str(exc)))
    return (None if errors else out), errors


def parse_target(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    """A campaign target row: campaign, start and end carry down from the row above (merged cells);
    one value per metric column (or a metric-name column with a value column)."""
    errors: list[CellError] = []
    out: dict[str, Any] = {}
    for key in ("campaign", "start", "end", "days"):
        value = p.cell(row, key)
        if value != "" and value is not None:
            p.carry[key] = value
    campaign = text_of(p.carry.get("campaign", "")) if p.carry.get("campaign") not in (None, "") else None
    out["campaign"] = campaign
    for key in ("start", "end"):
        value = p.carry.get(key, "")
        try:
            out[key] = p.day(value, "会战日期")
        except ValueError as exc:
            errors.append(CellError(p.col(key), value, str(exc)))
    if p.carry.get("days", "") != "":
        try:
            out["days"] = int_of(p.carry["days"])
        except ValueError as exc:
            errors.append(CellError(p.col("days"), p.carry["days"], str(exc)))
    out["unit"] = p.text(row, "unit")
    targets: list[tuple[int, str, int]] = []  # (column, metric key or word, value)
    for key, col in p.f.items():
        if key.startswith("metric:"):
            metric = key.split(":", 1)[1]
            value = row[col] if col < len(row) else ""
            _metric_value(p, metric, col, value, targets, errors)
    if "metric_name" in p.f:
        word = p.text(row, "metric_name")
        if word:
            _metric_value(p, word, p.col("value"), p.cell(row, "value"), targets, errors)
    out["targets"] = targets
    return (None if errors else out), errors


def _metric_value(p: RowParser, metric: str, col: int, value: Any, out: list, errors: list) -> None:
    if value == "" or value is None or (isinstance(value, str) and cleared(value.strip())):
        return
    try:
        if metric.endswith("_wan") or "金额" in metric or "额" in metric:
            amount = amount_of(value, p.units.get(f"metric:{metric}") or p.units.get("value") or "亿元")
            if amount is None or amount[0] is None:
                raise ValueError(f"金额“{text_of(value)}”应为人民币金额")
            out.append((col, metric, amount[0]))
        else:
            out.append((col, metric, int_of(value)))
    except ValueError as exc:
        errors.append(CellError(col, value, str(exc)))


def parse_milestone(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    errors: list[CellError] = []
    out: dict[str, Any] = {"code": p.text(row, "code"), "name": p.text(row, "name"), "kind": p.text(row, "kind"),
                           "note": p.text(row, "note")}
    if out["code"] is None and out["name"] is None:
        errors.append(p.missing_project())
    if out["kind"] is None:
        errors.append(CellError(p.col("kind"), "", "缺少节点类型"))
    for key in ("planned", "done_on"):
        value = p.cell(row, key)
        try:
            out[key] = date_of(value, p.year, p.date_cache) if value != "" else None
        except ValueError as exc:
            errors.append(CellError(p.col(key), value, str(exc)))
    value = p.cell(row, "done")
    try:
        out["done"] = yes_no(value) if "done" in p.f else out.get("done_on") is not None
    except ValueError as exc:
        errors.append(CellError(p.col("done"), value, str(exc)))
    if not errors and out["planned"] is None and not out["done"]:
        errors.append(CellError(p.col("planned"), "", "节点既没有计划时间也没有完成"))
    return (None if errors else out), errors


def parse_pair(p: RowParser, row: list[Any], first: str, second: str) -> tuple[dict | None, list[CellError]]:
    """Stage words (阶段词, 对应阶段) and settings (设置项, 设置值)."""
    a = text_of(p.cell(row, first))
    b = text_of(p.cell(row, second))
    if a is None:
        return None, [CellError(p.col(first), "", "缺少内容")]
    if b is None:
        return None, [CellError(p.col(second), "", "缺少内容")]
    return {first: a, second: b}, []


def parse_review(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    """A 联审 row: one criterion's verdict on a project. A project's code and name carry down from the
    rows above while they are blank (a merged cell over its criteria rows)."""
    errors: list[CellError] = []
    code, name = p.text(row, "code"), p.text(row, "name")
    if code is None and name is None:
        code, name = p.carry.get("code"), p.carry.get("name")
        for key, value in (("code", code), ("name", name)):  # a rejected row names its project
            if key in p.f and p.f[key] < len(row) and value is not None:
                row[p.f[key]] = value
    else:
        p.carry.update(code=code, name=name)
    out: dict[str, Any] = {"code": code, "name": name, "criterion": p.text(row, "criterion"),
                           "verdict": p.text(row, "verdict"), "reviewer": p.text(row, "reviewer"),
                           "note": p.text(row, "note"), "reviewed_on": None}
    if code is None and name is None:
        errors.append(p.missing_project())
    if out["criterion"] is None:
        errors.append(CellError(p.col("criterion"), "", "缺少联审标准"))
    if out["verdict"] is None:
        errors.append(CellError(p.col("verdict"), "", "缺少联审结论"))
    value = p.cell(row, "reviewed_on")
    try:
        out["reviewed_on"] = p.day(value, "联审日期")
    except ValueError as exc:
        errors.append(CellError(p.col("reviewed_on"), value, str(exc)))
    return (None if errors else out), errors


def parse_problem(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    """A 问题协调 row: a project's problem with its owner unit (a name), dates and resolution."""
    errors: list[CellError] = []
    out: dict[str, Any] = {"code": p.text(row, "code"), "name": p.text(row, "name"),
                           "text": text_of(p.cell(row, "text")), "owner": p.text(row, "owner"),
                           "resolution": p.text(row, "resolution")}
    if out["code"] is None and out["name"] is None:
        errors.append(p.missing_project())
    for key in ("raised_on", "due_on", "resolved_on"):
        value = p.cell(row, key)
        try:
            out[key] = problem_day(value, key, p.year, p.date_cache, p.labels[p.col(key)] if key in p.f else key)
        except ValueError as exc:
            errors.append(CellError(p.col(key), value, str(exc)))
    return (None if errors else out), errors


def parse_criterion(p: RowParser, row: list[Any]) -> tuple[dict | None, list[CellError]]:
    """A 联审标准 row: a criterion, its order and the days it is in force from and until."""
    name = p.text(row, "name")
    if name is None:
        return None, [CellError(p.col("name"), "", "缺少联审标准名称")]
    out: dict[str, Any] = {"name": name, "order": None, "valid_from": None, "valid_until": None}
    errors = p.order(row, out)
    for key in ("valid_from", "valid_until"):
        value = p.cell(row, key)
        try:
            out[key] = p.day(value, "日期")
        except ValueError as exc:
            errors.append(CellError(p.col(key), value, str(exc)))
    return (None if errors else out), errors
