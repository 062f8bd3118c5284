"""Rows of one file that name the same project (vocabulary/identity.py): only the last one counts.

A first pass over the project sheets finds them before any row is written; keys are kept as 64-bit
hashes, so memory stays small for a million rows. The same pass classifies each row (one byte a row,
a section's label kept), so that the rows are classified once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhaoshang.importers.cells import cleared, text_of
from zhaoshang.importers.classify import DATA, KIND_CODES, KIND_OF_CODE, SECTION, project_classifier
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.vocabulary.identity import project_key


@dataclass
class Duplicates:
    latest: dict[int, tuple[int, int]] = field(default_factory=dict)  # hash of a repeated key -> (sheet, row)
    sheet_names: dict[int, str] = field(default_factory=dict)
    # Codes P-0042 this file uses, when it has rows without a code (their codes must not clash).
    pcodes: set[str] | None = None
    kinds: dict[int, bytearray] = field(default_factory=dict)  # sheet -> each row's kind (KIND_CODES; 0: not seen)
    labels: dict[tuple[int, int], str] = field(default_factory=dict)  # (sheet, row) -> a section's label

    def kind(self, sheet: LocatedSheet, row_no: int) -> tuple[str, str | None] | None:
        """The row's kind and section label as the first pass found them; None for a row it did not see."""
        kinds = self.kinds.get(sheet.index)
        code = kinds[row_no] if kinds is not None and row_no < len(kinds) else 0
        if not code:
            return None
        kind = KIND_OF_CODE[code]
        return kind, (self.labels.get((sheet.index, row_no)) if kind == SECTION else None)

    def later(self, sheet: LocatedSheet, row_no: int, key: tuple | None) -> str | None:
        """Where the later row naming the same project as this one is (第 12 行, 其他表!row 3), or None
        when this row is the last (or only) one."""
        last = self.latest.get(hash(key)) if key is not None else None
        if last is None or last == (sheet.index, row_no):
            return None
        return f"第 {last[1] + 1} 行" if last[0] == sheet.index else \
            f"{self.sheet_names.get(last[0], '')}!row {last[1] + 1}"


def prescan(sheets: list[LocatedSheet]) -> Duplicates:
    """Which rows of the project sheets name the same project as a later row (in any sheet)."""
    seen: set[int] = set()
    found = Duplicates(sheet_names={sheet.index: sheet.info.name for sheet in sheets})
    pcodes: set[str] = set()
    codeless = False
    for sheet in sheets:
        f = sheet.header.fields
        code_col, name_col, inv_col = f.get("code"), f["name"], f.get("investor")
        classify = project_classifier(f, sheet.header.cells)
        kinds = found.kinds[sheet.index] = bytearray(sheet.data.height + 1)
        for row_no, row in sheet.rows():
            if row_no in sheet.continued:
                continue
            kind, label = classify(row)
            if row_no >= len(kinds):
                kinds.extend(bytes(row_no + 1 - len(kinds)))
            kinds[row_no] = KIND_CODES[kind]
            if kind != DATA:
                if label is not None:
                    found.labels[(sheet.index, row_no)] = label
                continue
            key = row_key(row, code_col, name_col, inv_col, f.get("unit"))
            if key is None:
                continue
            if key[0] == "code":
                if key[1].startswith("P-"):
                    pcodes.add(key[1])
            else:
                codeless = True
            h = hash(key)
            if h in seen:
                found.latest[h] = (sheet.index, row_no)
            else:
                seen.add(h)
    found.pcodes = pcodes if codeless else None
    return found


def row_key(row: list[Any], code_col: int | None, name_col: int, inv_col: int | None,
            unit_col: int | None = None) -> tuple | None:
    """A row's project key (vocabulary.identity.project_key) from its cells."""
    n = len(row)
    code = text_of(row[code_col]) if code_col is not None and code_col < n else None
    if code is not None and len(code) <= 3 and cleared(code):  # (no word of nothing is longer)
        code = None
    if code is not None:  # a code is the key, whatever else the row says
        return project_key(code, None, None)
    name = text_of(row[name_col]) if name_col < n else None
    investor = text_of(row[inv_col]) if inv_col is not None and inv_col < n else None
    if investor is not None and cleared(investor):
        investor = None
    unit = text_of(row[unit_col]) if unit_col is not None and unit_col < n else None
    return project_key(code, name, investor, unit)


def key_text(key: tuple) -> str:
    return f"编号 {key[1]}" if key[0] == "code" else f"{key[1]}/{key[2] or '无投资方'}"
