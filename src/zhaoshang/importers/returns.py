"""Recognise a unit's weekly return and check its locked cells, before it goes through the import.

A template we wrote carries a very hidden 模板信息 sheet (vocabulary/returns.py): the unit, the week, the
ledger's id, the version and the code and name of every pre-filled row with their checksum. python-
calamine reads hidden sheets and gives formula cells their cached values: no formula is executed.
A workbook without that sheet may still be a return: its file name (2023-W26-税郭镇.xlsx) or the unit
it names (填报单位：税郭镇, a sheet named for the unit, the unit's name in the file name).

The locked cells: a pre-filled row whose name differs from the one written, or a row in the
pre-filled block whose code is not the one written there, is refused (a row error naming the
cell): an edited lock must neither rename a project nor make a new one. A pre-filled project whose
row is gone is said, and nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from zhaoshang.errors import BadValue
from zhaoshang.importers.cells import CellError, text_of
from zhaoshang.importers.classify import DATA, classify
from zhaoshang.importers.locate import LocatedSheet, locate
from zhaoshang.importers.read import Book, cell_ref
from zhaoshang.vocabulary.returns import LOCKED, MARK, META_KEYS, META_SHEET, PROJECT_SHEET, checksum
from zhaoshang.vocabulary.text import normalize_text
from zhaoshang.vocabulary.weeks import parse_week_stem

_NAMED = re.compile(r"^\s*(\d{4}\s*-?\s*[Ww]\s*\d{1,2})\s*[-_ ·.]*\s*(.*?)\s*$"  # 2023-W26-税郭镇
                    r"|^\s*(.*?)\s*[-_ ·.]*\s*(\d{4}-?[Ww]\d{1,2})\s*$")  # 税郭镇-2023W26


@dataclass
class Meta:
    """A template's hidden metadata, and the cell each value sits in (for messages)."""

    values: dict[str, str]
    cells: dict[str, str]
    locked: list[tuple[str, str, int]]  # code, name, the row it was written on (1-based)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    @property
    def week(self) -> dt.date | None:
        return parse_week_stem(self["week"])

    @property
    def intact(self) -> bool:
        """The locked cells it lists are the ones its checksum was made of."""
        return checksum([(code, name) for code, name, _ in self.locked]) == self["checksum"]


def read_meta(book: Book) -> Meta | None:
    """The template metadata of a workbook (hidden or not), or None when it has none."""
    if META_SHEET not in {s.name for s in book.sheets}:
        return None
    data = book.sheet(META_SHEET)
    values: dict[str, str] = {}
    cells: dict[str, str] = {}
    locked: list[tuple[str, str, int]] = []
    for row_no, row in data.rows():
        cols = [text_of(v) or "" for v in row]
        key = cols[0] if cols else ""
        if key == LOCKED and len(cols) >= 4:
            try:
                locked.append((cols[1], cols[2], int(float(cols[3]))))
            except ValueError:
                continue
        elif key in META_KEYS and len(cols) >= 2 and key not in values:
            values[key] = cols[1]
            cells[key] = cell_ref(row_no, data.col_offset + 1)
        if row_no > 10_000:  # a template lists a unit's projects, not a province's
            break
    if values.get("template") != MARK:
        return None
    return Meta(values, cells, locked)


def named_return(stem: str) -> tuple[dt.date | None, str | None]:
    """The week and the unit a file's name gives: 2023-W26-税郭镇 → (2023-06-26, 税郭镇)."""
    m = _NAMED.match(stem)
    if not m:
        return None, None
    week_text, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return parse_week_stem(re.sub(r"\s", "", week_text)), (unit or None)


def units_named(book: Book, file: str, stem: str, units: list[str]) -> set[str]:
    """The ledger's units a workbook without metadata names: its banners' 填报单位, a sheet named for
    a unit, a unit's name in the file's name."""
    keys = {normalize_text(u): u for u in units}
    found: set[str] = set()
    for info in book.sheets:
        if normalize_text(info.name) in keys:
            found.add(keys[normalize_text(info.name)])
    try:
        sheets, _ = locate(book, file)
    except BadValue:  # nothing importable: the file name may still say
        sheets = []
    for sheet in sheets:
        if sheet.banner.reporting_unit and normalize_text(sheet.banner.reporting_unit) in keys:
            found.add(keys[normalize_text(sheet.banner.reporting_unit)])
    if not found:
        text = normalize_text(stem)
        found |= {u for k, u in keys.items() if k and k in text}
    return found


@dataclass
class LockCheck:
    """What the check of a return's locked cells found."""

    sheet: str | None = None
    refused: dict[tuple[str, int], list[Any]] = field(default_factory=dict)  # (sheet, row) -> cell errors
    messages: list[str] = field(default_factory=list)  # FILE:SHEET!CELL — what was edited
    missing: list[tuple[str, str, int]] = field(default_factory=list)  # pre-filled rows no longer there


def check_locked(book: Book, file: str, meta: Meta) -> LockCheck:
    """Compare the return's code and name cells with the ones the template wrote."""
    out = LockCheck()
    try:
        sheets, _ = locate(book, file)
    except BadValue:
        return out
    sheet = _project_sheet(sheets)
    if sheet is None:
        return out
    out.sheet = sheet.name
    f = sheet.header.fields
    code_col, name_col = f.get("code"), f["name"]
    if code_col is None:
        return out
    offset = sheet.data.col_offset
    by_code = {code: name for code, name, _ in meta.locked}
    by_row = {row: (code, name) for code, name, row in meta.locked}
    seen: set[str] = set()
    for row_no, row in sheet.rows():
        kind, _ = classify(row, key_col=code_col, name_col=name_col, header_labels=sheet.header.cells)
        if kind != DATA:
            continue
        code = text_of(row[code_col]) if code_col < len(row) else None
        name = text_of(row[name_col]) if name_col < len(row) else None
        written = by_row.get(row_no + 1)
        error = None
        if code is not None and code in by_code:
            seen.add(code)
            if name != by_code[code]:
                error = CellError(name_col, name or "", f"锁定的项目名称被改动（原为“{by_code[code]}”），本行未导入；"
                                                        "名称有误请告知招商办更正")
        elif written is not None and code != written[0]:
            seen.add(written[0])
            was = f"原为 {written[0]}“{written[1]}”"
            what = "改动" if code else "清空"
            error = CellError(code_col, code or "", f"锁定的项目编号被{what}（{was}），本行未导入")
        if error is not None:
            out.refused[(sheet.name, row_no)] = [error]
            col = error.col + offset
            out.messages.append(f"{file}:{sheet.name}!{cell_ref(row_no, col)} {error.reason}")
    out.missing = [(code, name, row) for code, name, row in meta.locked if code not in seen]
    return out


def _project_sheet(sheets: list[LocatedSheet]) -> LocatedSheet | None:
    named = [s for s in sheets if s.name == PROJECT_SHEET and s.kind == "project"]
    return (named or [s for s in sheets if s.kind == "project"] or [None])[0]
