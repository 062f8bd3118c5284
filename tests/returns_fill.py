"""Fill in a return template as a unit's clerk would in Excel (openpyxl here): change cells of the
pre-filled projects, add new projects in the empty rows, add trips; save under the same name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

HEADER_ROW = 3  # 1-based: title, banner, header


class Return:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = load_workbook(path)
        self.ws = self.wb["项目台账"]
        self.cols = {str(c.value).replace("\n", ""): c.column for c in self.ws[HEADER_ROW] if c.value}
        self.rows: dict[str, int] = {}
        self.next_new = 0
        for r in range(HEADER_ROW + 1, self.ws.max_row + 1):
            code = self.ws.cell(r, self.cols["项目编号"]).value
            text = self.ws.cell(r, 1).value
            if code:
                self.rows[str(code)] = r
            elif isinstance(text, str) and text.startswith("注："):
                self.next_new = r + 1

    @property
    def codes(self) -> list[str]:
        return list(self.rows)

    def set(self, code: str, column: str, value: Any) -> None:
        self.ws.cell(self.rows[code], self.cols[column]).value = value

    def get(self, code: str, column: str) -> Any:
        return self.ws.cell(self.rows[code], self.cols[column]).value

    def add(self, **values: Any) -> None:
        """A new project in the next empty row: keys are the header labels."""
        for column, value in values.items():
            self.ws.cell(self.next_new, self.cols[column]).value = value
        self.next_new += 1

    def trip(self, **values: Any) -> None:
        ws = self.wb["外出招商"]
        cols = {str(c.value): c.column for c in ws[HEADER_ROW] if c.value}
        r = HEADER_ROW + 1
        while ws.cell(r, 1).value is not None:
            r += 1
        for column, value in values.items():
            ws.cell(r, cols[column]).value = value

    def save(self, path: Path | None = None) -> Path:
        self.wb.save(path or self.path)
        return path or self.path


def cache(path: Path, cell: str, value: str, sheet: str = "sheet1") -> None:
    """Give a formula cell the value Excel would have cached when it saved (openpyxl caches none)."""
    import re
    import zipfile

    part = f"xl/worksheets/{sheet}.xml"
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts[part].decode("utf-8")
    xml, n = re.subn(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)', rf"\g<1>\g<2><v>{value}</v>", xml)
    assert n == 1, f"no formula at {cell}"
    parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
