"""Locate: which sheets of a workbook hold a ledger, of which kind, where each table's header is, what the
title and banner rows above it say, and the rows under it.

Sheets are recognised by name or by their header (project ledgers, 责任单位, 产业链, 外出招商, 会战目标,
项目节点, 联审, 联审标准, 问题协调, 阶段词, 账本设置). Hidden sheets and sheets of instructions are
passed over unless asked for by name. A sheet's name (or title) may give its rows a stage (在谈项目).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from zhaoshang.errors import BadValue
from zhaoshang.importers.classify import UNIT_LIKE
from zhaoshang.importers.header import HEAD_ROWS, KINDS, Banner, Header, find_header, read_banner, sheet_hint
from zhaoshang.importers.read import Book, SheetData, SheetInfo
from zhaoshang.vocabulary.text import normalize_text

SHEET_STAGE = (("线索", "lead"), ("谋划", "planned"), ("在谈", "negotiating"), ("洽谈", "negotiating"),
               ("签约", "signed"), ("开工", "started"), ("在建", "started"), ("投产", "producing"))


def sheet_stage_of(name: str) -> str | None:
    """The stage a sheet's name (or title) gives its rows: 在谈项目 → negotiating; 计划开工, 拟开工,
    待开工, 未开工 … name plans, not a stage reached."""
    text = normalize_text(name)
    for word, stage in SHEET_STAGE:
        at = text.find(word)
        if at >= 0 and not re.search(r"(计划|拟|待|未|预计|准备)$", text[:at]):
            return stage
    return None


@dataclass
class LocatedSheet:
    """A sheet with a ledger table in it: the sheet, its header, what the rows above the header say."""

    info: SheetInfo
    data: SheetData
    header: Header
    banner: Banner
    index: int
    # Rows that continue the row above (its project name merged down over them) -> that row.
    continued: dict[int, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def kind(self) -> str:
        return self.header.kind

    def release(self) -> None:
        """Let the reader free the sheet's cells once its rows are done."""
        self.data = SheetData(self.data.name, lambda: iter(()), 0)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """The rows under the header, each cell of a range merged down over several rows holding
        the range's value. A row whose project name comes from such a range (and that states no
        other code) continues the row above: `continued` names it as each row is reached."""
        bottom = self.header.bottom
        tops, below = merged_below(self.data.merged, bottom, self.data.col_offset)
        if not below:
            for row_no, row in self.data.rows():
                if row_no > bottom:
                    yield row_no, row
            return
        name_col, code_col = self.header.fields.get("name"), self.header.fields.get("code")
        values: dict[tuple[int, int], Any] = {}
        for row_no, row in self.data.rows():
            if row_no <= bottom:
                continue
            for j in tops.get(row_no, ()):
                values[(row_no, j)] = row[j] if j < len(row) else None
            filled: dict[int, int] = {}
            for j, r0 in below.get(row_no, ()):
                value = values.get((r0, j))
                if value is None or value == "":
                    continue
                if j >= len(row):
                    row = [*row, *([""] * (j + 1 - len(row)))]
                if row[j] == "" or row[j] is None:
                    row[j] = value
                    filled[j] = r0
            if name_col in filled:
                top = filled[name_col]
                code_blank = code_col is None or code_col >= len(row) or row[code_col] in ("", None)
                if code_col in filled or code_blank:
                    self.continued[row_no] = top
            yield row_no, row


def merged_below(merged: list, bottom: int,
                 offset: int) -> tuple[dict[int, list[int]], dict[int, list[tuple[int, int]]]]:
    """The data area's ranges merged down over several rows: the cells at their tops (row -> columns)
    and the cells under them (row -> (column, top row)). Only the first column of a range is filled
    in: what a clerk sees there is one value for every row the range covers."""
    tops: dict[int, list[int]] = {}
    below: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, _c1) in merged:
        j = c0 - offset
        if r1 <= r0 or r0 <= bottom or j < 0:
            continue
        tops.setdefault(r0, []).append(j)
        for r in range(r0 + 1, r1 + 1):
            below.setdefault(r, []).append((j, r0))
    return tops, below


def locate(book: Book, file: str, *, wanted: str | None = None,
           column_map: dict[str, str] | None = None) -> tuple[list[LocatedSheet], list[str]]:
    """The sheets of `book` to import (only `wanted`, hidden or not, when given), and the warnings
    about the sheets passed over and the headers found. Raises BadValue when there is nothing to
    import, or the wanted sheet is missing, empty or headerless."""
    column_map = column_map or {}
    warnings: list[str] = []
    infos = book.sheets
    if wanted is not None:
        infos = [s for s in book.sheets if s.name == wanted] or \
            [s for s in book.sheets if normalize_text(s.name) == normalize_text(wanted)]
        if not infos:
            names = "、".join(s.name for s in book.sheets)
            raise BadValue(f"{file} 中没有工作表“{wanted}”。", f"有：{names}。")
    picked: list[LocatedSheet] = []
    for info in infos:
        if not info.visible and wanted is None:
            continue
        hint = sheet_hint(info.name)
        if hint == "notes" and wanted is None:
            continue
        data = book.sheet(info.name)
        head: list[tuple[int, list[Any]]] = []
        for row_no, row in data.rows():
            head.append((row_no, row))
            if row_no >= HEAD_ROWS + 1:
                break
        if not any(any(v != "" and v is not None for v in r) for _, r in head):
            if wanted is not None:
                raise BadValue(f"{file}:{info.name} 是空表。")
            continue
        # A sheet named for reviews or problems may still be a project ledger: the better header wins.
        kinds = ([hint, "project"] if hint in ("review", "problem") else [hint]) if hint in KINDS else list(KINDS)
        header = find_header(head, kinds, merged=data.merged, col_offset=data.col_offset,
                             user_map=column_map, hidden=data.hidden_cols)
        if header is None and hint in KINDS:
            header = find_header(head, KINDS, merged=data.merged, col_offset=data.col_offset,
                                 user_map=column_map, hidden=data.hidden_cols)
        if header is None:
            if wanted is not None:
                raise BadValue(f"{file}:{info.name} 找不到表头（需要“项目名称”等列）。",
                               "表头要在前 30 行内；不认识的列名可以用 --map 文件指定。")
            warnings.append(f"{file}:{info.name} 没有可识别的表头，已跳过")
            continue
        if header.kind == "target" and hint != "target" and "campaign" not in header.fields:
            # 责任单位 and figures but no 会战 and a sheet not named for targets: a summary
            # (汇总表) of what the units did, beside the ledger it sums.
            warnings.append(f"{file}:{info.name} 是按单位的汇总表（没有项目名称，也没有会战名称），已跳过")
            continue
        warnings += [f"{file}:{info.name} {w}" for w in header.warnings]
        banner = read_banner(r for n, r in head if n < header.top)
        picked.append(LocatedSheet(info, data, header, banner, info.index))
    if not picked:
        raise BadValue(f"{file} 中没有可导入的台账。",
                       "需要一行表头（如 项目名称、投资方、总投资、签约时间），在前 30 行内；"
                       "不认识的列名可以用 --map 文件指定。")
    return picked, warnings


_UNIT_GROUP = re.compile(r"(?:镇街|部门|单位|企业|国企|专班|区直|县直|市直|乡镇)$")


class Sections:
    """What the section rows of a project sheet give the data rows under them (for those whose own
    cells are blank): a stage (一、在谈项目), a chain (二、新材料产业链) or a unit (三、税郭镇)."""

    def __init__(self, stage_word: Callable[[str], str | None],
                 find_unit: Callable[[str], str | None] | None = None) -> None:
        self.stage_word = stage_word  # the stage a word names, or None
        self.find_unit = find_unit  # the ledger's unit a name means, or None (ValueError: ambiguous)
        self.stage: str | None = None
        self.chain: str | None = None
        self.unit: str | None = None

    def heading(self, label: str) -> None:
        """A section row: a stage word sets the stage below it; otherwise it names the chain of the
        rows below that give none."""
        stage = self.stage_word(label.removesuffix("项目")) or self.stage_word(label)
        if stage is not None:
            self.stage = stage
            self.chain = None  # chain and unit sections nest under a stage section
            self.unit = None
            return
        text = normalize_text(label)
        if _UNIT_GROUP.search(text):  # 镇街, 区直部门, 区属国有企业: a group of units
            self.unit = None
            self.chain = None
            return
        try:
            known_unit = self.find_unit(label) if self.find_unit is not None else None
        except ValueError:
            known_unit = None
        if known_unit is not None or (UNIT_LIKE.search(text) and not text.endswith(("产业链", "链"))):
            # 一、税郭镇: a block of one unit's rows (for those whose unit cell is blank)
            self.unit = known_unit or label
            return
        # A kind of project (续建项目, 省重点项目) is not a chain; other labels name one, for the rows
        # whose chain cell is blank (or all rows, when the sheet has no chain column). A new heading
        # of this kind ends the unit block above it.
        self.chain = None if text.endswith("项目") else label
        self.unit = None
