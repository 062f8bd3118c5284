"""Fixture workbooks built in code: a few lines per ledger shape instead of binary files."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook


def xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]], *, merges: dict[str, Sequence[str]] | None = None,
         hidden_sheets: Sequence[str] = (), hidden_columns: dict[str, Sequence[str]] | None = None,
         cached: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write `sheets` (name -> rows) with openpyxl. `cached` gives formula cells the value Excel would
    have stored beside them (openpyxl writes formulas without one)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for ref in (merges or {}).get(name, ()):
            ws.merge_cells(ref)
        for letter in (hidden_columns or {}).get(name, ()):
            ws.column_dimensions[letter].hidden = True
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    wb.save(path)
    if cached:
        _cache(path, list(sheets), cached)
    return path


def _cache(path: Path, names: list[str], cached: dict[str, dict[str, Any]]) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    for sheet, cells in cached.items():
        part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
        xml = parts[part].decode()
        for ref, value in cells.items():
            # openpyxl writes an empty <v/> (or <v></v> when lxml is installed, as python-docx brings it)
            xml, n = re.subn(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)(?:<v ?/>|<v></v>)', rf"\g<1><v>{value}</v>", xml)
            assert n == 1, ref
        parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def csv_file(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def project(**kw: Any) -> dict:
    """A listing row (zs projects list --format json) with defaults for the fields not given."""
    row = {"code": None, "name": None, "investor": None, "investment_wan": None, "investment_usd_wan": None,
           "chain": None, "unit": None, "stage": "lead", "signed_on": None, "ready_on": None, "started_on": None,
           "produced_on": None, "marshal": False, "leaders": [], "support_units": [], "scope": None, "remark": None,
           "planned_completion_on": None, "completed_on": None, "plan_wan": {}, "completed_wan": {}}
    assert set(kw) <= set(row), set(kw) - set(row)
    row.update(kw)
    return row
