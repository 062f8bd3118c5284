"""Legacy (.xls) and OpenDocument (.ods) workbooks, measured before this process reads them.

calamine reads every sheet of a .xls or .ods when it opens the file, and sizes what it builds by what
the file says: a DIMENSIONS record reserves rows × columns cells, one cell at column 32,000 widens every
row, a number-columns-repeated or number-rows-repeated copies a cell that many times. None of this can
be bounded from outside without parsing BIFF or ODF as calamine does. So calamine first opens the file
in a separate interpreter held to READ_LIMIT of address space (RLIMIT_AS) and PROBE_SECONDS, which
reports each sheet's used range and nothing else. A file it cannot open within those limits is refused
in one line, and a sheet past the caps is refused naming the sheet and its range — before this
process allocates anything for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from zhaoshang.importers.guards import MAX_CELLS, MAX_COLUMNS, BadFile

READ_LIMIT = 768 << 20  # address space of the interpreter that opens the file first
PROBE_SECONDS = 120

_PROBE = r"""
import json, sys
path, how, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    for lower in (soft, hard):
        if lower != resource.RLIM_INFINITY:
            limit = min(limit, lower)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
except (ImportError, AttributeError, ValueError, OSError):  # no address-space limit on this system
    pass
from python_calamine import CalamineWorkbook, SheetTypeEnum
try:
    if how == "path":
        wb = CalamineWorkbook.from_path(path)
    else:
        with open(path, "rb") as fh:
            wb = CalamineWorkbook.from_filelike(fh)
    sheets = []
    for m in wb.sheets_metadata:
        if m.typ == SheetTypeEnum.WorkSheet:
            sheet = wb.get_sheet_by_name(m.name)
            sheets.append([m.name, sheet.start, sheet.end])
            del sheet
    print(json.dumps({"sheets": sheets}))
except MemoryError:
    sys.exit(3)
except BaseException as exc:
    print(json.dumps({"error": type(exc).__name__, "text": str(exc)}))
"""


def calamine_error(exc_type: str, text: str, name: str) -> BadFile:
    if "password" in text.lower() or exc_type == "PasswordError" or "encrypt" in text.lower():
        return BadFile(f"{name} 有密码保护，请先在 Excel 中取消密码再导入。")
    short = text.splitlines()[0][:160] if text else exc_type
    return BadFile(f"无法读取 {name}（文件已损坏或格式不受支持）：{short}")


def check_range(name: str, sheet: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Refuse a sheet whose used range is wider than MAX_COLUMNS or holds more than MAX_CELLS cells."""
    width = end[1] - start[1] + 1
    if width > MAX_COLUMNS or (end[0] + 1) * width > MAX_CELLS:
        from zhaoshang.importers.read import cell_ref

        raise BadFile(f"{name} 的工作表“{sheet}”用到 {cell_ref(*start)}:{cell_ref(*end)}"
                      f"（{end[0] + 1:,} 行 × {width:,} 列），超过 {MAX_COLUMNS:,} 列或 {MAX_CELLS:,} 个单元格"
                      "的上限，拒绝读取。", "请删去多余的行、列后再导入。")


def measure(path: Path, by_path: bool) -> None:
    """Open the workbook in a limited interpreter first; refuse it in one line if that fails, runs out
    of its limits, or finds a sheet past the caps."""
    name = path.name
    refused = (f"{name} 无法在 {READ_LIMIT >> 20} MB 内存、{PROBE_SECONDS} 秒内打开（文件已损坏，"
               "或它声明的表格大得不像台账），拒绝读取。")
    hint = "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入。"
    argv = [sys.executable, "-P", "-c", _PROBE, str(path), "path" if by_path else "file", str(READ_LIMIT)]
    try:
        run = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        raise BadFile(refused, hint) from None
    except OSError:  # no interpreter to start: read it here, as before
        return
    try:
        report = json.loads(run.stdout.splitlines()[-1]) if run.returncode == 0 and run.stdout else None
    except ValueError:
        report = None
    if not isinstance(report, dict):
        raise BadFile(refused, hint)
    if "error" in report:
        raise calamine_error(str(report["error"]), str(report.get("text", "")), name)
    for sheet, start, end in report.get("sheets", []):
        if start is not None and end is not None:
            check_range(name, sheet, tuple(start), tuple(end))
