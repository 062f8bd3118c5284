"""One Report value per report, rendered by every format (table, md, csv, json, xlsx, html, text).

A report is a title, a period, the district totals and year-to-date totals, an ordered list of
sections (tables of rows per unit, per chain, rankings, scores …, each with an optional 合计 row), the
project lists behind its numbers, prose paragraphs, and an optional progress chart. JSON is built
from the same values: `period`, `totals`, `ytd`, one key per section, and `lists`.

Other modules extend a report without touching its builder: `add_unit_columns` adds per-unit columns
(with their totals) to the by-unit section, `add_list` adds a list; see reports/extensions.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zhaoshang.reports.periods import Period
from zhaoshang.vocabulary.columns import Col


def lookup(row: dict, key: str) -> Any:
    """A row's value for a column key; "ytd.new_signed" reaches into nested dicts."""
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


TOTAL_ZH = "合计"
# How the row of projects without a unit (or chain) is labelled; in JSON its unit is null.
ROW_LABELS = {"unit": ("（未填责任单位）", "(no unit)"), "chain": ("（未填产业链）", "(no chain)")}


def _public(row: dict) -> dict:
    """A row as JSON shows it: keys starting with "_" are for display only."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


@dataclass
class Section:
    """A table: its JSON key, a title (zh, en), columns, rows (JSON objects, possibly nested) and an
    optional total row. `ids` keeps each row's unit or chain id, for extensions."""

    key: str
    title_zh: str
    title_en: str
    columns: list[Col]
    rows: list[dict]
    total: dict | None = None
    ids: list[Any] = field(default_factory=list)
    in_json: bool = True
    note_zh: str | None = None
    note_en: str | None = None
    terminal: list[str] | None = None  # the column keys a terminal shows (default: all)
    marker: float | None = None  # where a "bar" column marks the time progress (0..1)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def note(self, lang: str) -> str | None:
        return self.note_en if lang == "en" else self.note_zh

    def flat(self, row: dict, lang: str = "zh") -> dict:
        """A row with every column's value at its key (for renderers that read row[col.key]); the
        label column names the 合计 row and the row of projects without a unit or chain in `lang`."""
        flat = {c.key: lookup(row, c.key) for c in self.columns}
        first = self.columns[0].key if self.columns else None
        if first in ROW_LABELS:
            value = flat.get(first)
            if value is None:
                flat[first] = ROW_LABELS[first][1 if lang == "en" else 0]
            elif value == TOTAL_ZH and lang == "en":
                flat[first] = "Total"
        return flat

    def flat_rows(self, lang: str = "zh") -> list[dict]:
        return [self.flat(r, lang) for r in self.rows]

    def flat_total(self, lang: str = "zh") -> dict | None:
        return self.flat(self.total, lang) if self.total is not None else None


@dataclass
class Chart:
    """Task progress against time per unit: progress in [0, …], with the time progress as a marker."""

    title_zh: str
    title_en: str
    time_progress: float | None
    bars: list[tuple[str, float | None, bool | None]]  # (label, progress, ahead)

    def figure(self) -> Figure:
        """The same chart as columns of task progress per unit with the time progress as a line."""
        labels = [label for label, _, _ in self.bars]
        return Figure("progress", self.title_zh, self.title_en, "column", labels, labels,
                      [Series("任务进度", "Task progress", [p for _, p, _ in self.bars], "pct")],
                      Series("时间进度", "Time progress", [self.time_progress] * len(labels), "pct"))


@dataclass
class Series:
    """One series of a figure: its name (zh, en) and a value per category; `kind` says how a value
    shows (int, yi: 万元 shown in 亿元, pct: 0.853 → 85.3%)."""

    zh: str
    en: str
    values: list[Any]
    kind: str = "int"


@dataclass
class Figure:
    """A chart the files draw (xlsx natively, html as inline SVG, docx as its data): categories along
    one axis (units, months), one or more series as columns (`kind` column) or lines (`kind` line),
    and optionally one more series drawn as a line over the columns (the time progress)."""

    key: str
    title_zh: str
    title_en: str
    kind: str
    categories_zh: list[str]
    categories_en: list[str]
    series: list[Series]
    line: Series | None = None

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def categories(self, lang: str) -> list[str]:
        return self.categories_en if lang == "en" else self.categories_zh


@dataclass
class Report:
    kind: str
    title_zh: str
    title_en: str
    period: Period | None = None
    totals: dict | None = None
    ytd: dict | None = None
    sections: list[Section] = field(default_factory=list)
    lists: list[Section] = field(default_factory=list)
    prose_zh: list[str] = field(default_factory=list)
    prose_en: list[str] = field(default_factory=list)
    chart: Chart | None = None
    figures: list[Figure] = field(default_factory=list)  # charts of the files, beside the progress chart
    district: str | None = None  # the ledger's district name (账本设置 district), named on every page
    as_of: dt.date | None = None  # the day the figures stand at (a period's as-of, or the scorecard's)
    closing: str | None = None  # a bulletin's 下步工作要求, as the office keeps it (账本设置 bulletin_closing)
    meta: dict = field(default_factory=dict)  # extra top-level JSON keys (campaign, rules …)
    data: dict | None = None  # a builder's own JSON shape (the scorecard), else assembled
    compared: dict = field(default_factory=dict)  # comparison windows (reports/compare.py): .json(totals, ytd)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def prose(self, lang: str) -> list[str]:
        return self.prose_en if lang == "en" else self.prose_zh

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def json(self) -> dict:
        if self.data is not None:
            return self.data
        out: dict[str, Any] = {}
        if self.period is not None:
            out["period"] = self.period.json()
        out.update(self.meta)
        if self.totals is not None:
            out["totals"] = self.totals
        if self.ytd is not None:
            out["ytd"] = self.ytd
        for value in self.compared.values():
            out.update(value.json(self.totals or {}, self.ytd or {}))
        for s in self.sections:
            if s.in_json:
                out[s.key] = [_public(r) for r in s.rows]
        out["lists"] = {s.key: [_public(r) for r in s.rows] for s in self.lists}
        return out

    # ------------------------------------------------------------------- extension points

    def add_unit_columns(self, columns: list[Col], values: dict[Any, dict], totals: dict | None = None,
                         section: str = "by_unit", table: tuple[str, str, str] | None = None) -> None:
        """Add per-unit columns: `values` maps a unit id to {key: value}; `totals` goes to the 合计 row
        and to the report's totals. Units absent from `values` get None (blank). With `table` (key,
        zh title, en title) the columns show in a table of their own after the unit tables instead of
        widening the first (a terminal has 100 columns); the JSON rows and totals are the same."""
        target = self.section(section)
        if target is None:
            return
        if table is None:
            target.columns.extend(columns)
        else:
            key, zh, en = table
            after = max(i for i, s in enumerate(self.sections) if s.key == section or s.rows is target.rows)
            self.sections.insert(after + 1, Section(key, zh, en, [target.columns[0], *columns], target.rows,
                                                    target.total, target.ids, in_json=False))
        keys = [c.key for c in columns]
        for unit_id, row in zip(target.ids, target.rows, strict=True):
            extra = values.get(unit_id, {})
            for key in keys:
                row[key] = extra.get(key)
        if totals is not None:
            if target.total is not None:
                target.total.update({k: totals.get(k) for k in keys})
            if self.totals is not None and section == "by_unit":
                self.totals.update({k: totals.get(k) for k in keys})

    def add_list(self, key: str, title_zh: str, title_en: str, columns: list[Col], rows: list[dict],
                 terminal: list[str] | None = None) -> None:
        """Add a list; `terminal` names the column keys a terminal shows (files show them all)."""
        self.lists.append(Section(key, title_zh, title_en, columns, rows, terminal=terminal))
