"""Read: a file into sheets. One reader over .xlsx/.xlsm/.xlsb, .xls, .ods (python-calamine) and .csv
(the standard library).

python-calamine parses a sheet in Rust and hands rows over as Python lists: the fastest reader we
measured, and it gives formula cells their cached values, merged ranges and sheet visibility, which
is all the import needs. The one thing calamine does not report, hidden columns, comes from the head
of the sheet's XML (<cols>, before <sheetData>), so openpyxl never loads a whole sheet for reading.

Before any parser sees a file, `open_book` checks it (guards.py). Cells come out as calamine gives
them: str ("" when empty), float, int, bool, date/datetime; CSV cells are str.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from zhaoshang.importers.guards import CSV_SNIFF, BadFile, open_regular, sniff_kind
from zhaoshang.importers.legacy import calamine_error, check_range, measure


@dataclass
class SheetInfo:
    name: str
    visible: bool
    index: int


@dataclass
class SheetData:
    """A sheet: `rows()` iterates (row index from 0, cells) afresh each time; cells start at
    `col_offset` (column index of the first cell)."""

    name: str
    rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    height: int
    col_offset: int = 0
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden_cols: frozenset[int] = frozenset()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Zero-based row and column to an A1 reference."""
    return f"{column_letter(col)}{row + 1}"


class Book:
    """An open workbook (or CSV file seen as a one-sheet book)."""

    def __init__(self, path: Path, kind: str, sheets: list[SheetInfo]) -> None:
        self.path = path
        self.kind = kind
        self.sheets = sheets

    def sheet(self, name: str) -> SheetData:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _calamine_error(exc: BaseException, name: str) -> BadFile:
    return calamine_error(type(exc).__name__, str(exc), name)


class CalamineBook(Book):
    def __init__(self, path: Path, kind: str) -> None:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        by_path = path.suffix.lower().lstrip(".") in SUFFIX_OF_KIND[kind]
        if kind in ("xls", "ods"):  # calamine reads these whole on opening: measured first (legacy.py)
            measure(path, by_path)
        try:
            with quiet_stderr():
                if by_path:
                    self.wb = CalamineWorkbook.from_path(str(path))
                else:  # a workbook under another extension (.xlsx sent as .xls): read it as what it is
                    with path.open("rb") as fh:
                        self.wb = CalamineWorkbook.from_filelike(fh)
                meta = self.wb.sheets_metadata
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine's own errors, ValueError/OSError, and its panics (BaseException)
            raise _calamine_error(exc, path.name) from None
        sheets = [SheetInfo(m.name, m.visible == SheetVisibleEnum.Visible, i)
                  for i, m in enumerate(meta) if m.typ in (SheetTypeEnum.WorkSheet,)]
        super().__init__(path, kind, sheets)

    def sheet(self, name: str) -> SheetData:
        try:
            with quiet_stderr():
                sheet = self.wb.get_sheet_by_name(name)
                start = sheet.start
                end = sheet.end
                merged = (sheet.merged_cell_ranges or []) if self.kind in ("xlsx", "xls") else []
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a panic in calamine is a BaseException
            raise _calamine_error(exc, self.path.name) from None
        if start is None or end is None:
            return SheetData(name, lambda: iter(()), 0)
        check_range(self.path.name, name, start, end)  # .xls/.ods: measured before, checked again
        # a merged range reaches no further than the cells: its declared end never sizes anything
        merged = [((r0, c0), (min(r1, end[0]), min(c1, end[1]))) for (r0, c0), (r1, c1) in merged
                  if r0 <= end[0] and c0 <= end[1]]
        hidden = _hidden_columns(self.path, name) if self.kind == "xlsx" else frozenset()
        return SheetData(name, lambda: _calamine_rows(sheet, start, self.path.name), end[0] + 1, start[1],
                         list(merged), hidden)

    def close(self) -> None:
        try:
            self.wb.close()
        except Exception:
            pass


def _calamine_rows(sheet: Any, start: tuple[int, int], name: str) -> Iterator[tuple[int, list[Any]]]:
    """calamine yields rows from row 0 (padding leading empty rows) but columns from the used area's
    first column; an older or newer calamine may start at the used area's first row instead."""
    try:
        it = sheet.iter_rows()
        batch = _quiet_batch(it)
        if not batch:
            return
        offset = start[0] if start[0] > 0 and any(v != "" for v in batch[0]) else 0
        while batch:  # a batch at a time, Rust's panic output silenced while calamine converts it
            yield from zip(range(offset, offset + len(batch)), batch, strict=True)
            offset += len(batch)
            batch = _quiet_batch(it) if len(batch) == BATCH_ROWS else []
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # a panic in calamine is a BaseException
        raise _calamine_error(exc, name) from None


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """A panic inside calamine (raised to Python as a BaseException, caught at this boundary) also
    prints Rust's panic message and backtrace on file descriptor 2: keep the clerk's terminal to the
    one line the refusal is."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


BATCH_ROWS = 2000


def _quiet_batch(rows: Iterator[list[Any]]) -> list[list[Any]]:
    with quiet_stderr():
        return list(islice(rows, BATCH_ROWS))


def _hidden_columns(path: Path, sheet_name: str) -> frozenset[int]:
    """Hidden columns from <cols> at the head of the sheet's XML (read up to <sheetData>)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet_name)
            if part is None:
                return frozenset()
            with archive.open(part) as fh:
                head = b""
                while b"<sheetData" not in head and len(head) < (4 << 20):
                    chunk = fh.read(64 << 10)
                    if not chunk:
                        break
                    head += chunk
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError, EOFError, ValueError, NotImplementedError):
        return frozenset()
    head = head.split(b"<sheetData", 1)[0]
    hidden: set[int] = set()
    for m in re.finditer(rb"<(?:\w+:)?col\b([^>]*)/?>", head):
        attrs = m.group(1)
        if not re.search(rb'\bhidden="(1|true)"', attrs):
            continue
        lo = re.search(rb'\bmin="(\d+)"', attrs)
        hi = re.search(rb'\bmax="(\d+)"', attrs)
        if lo and hi:
            hidden.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), 16384)))
    return frozenset(hidden)


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    from xml.sax.saxutils import unescape

    workbook = archive.read("xl/workbook.xml")[: 1 << 20].decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels")[: 1 << 20].decode("utf-8", "replace")
    rid = None
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        attrs = m.group(1)
        nm = re.search(r'\bname="([^"]*)"', attrs)
        if nm and unescape(nm.group(1), {"&quot;": '"', "&apos;": "'"}) == sheet_name:
            r = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\b\w+:id="([^"]*)"', attrs)
            rid = r.group(1) if r else None
            break
    if rid is None:
        return None
    for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
        attrs = m.group(1)
        if f'Id="{rid}"' in attrs:
            target = re.search(r'Target="([^"]*)"', attrs)
            if target:
                t = target.group(1)
                return t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return None


class CsvBook(Book):
    """A CSV file: UTF-8 (with or without BOM) or GBK/GB18030, detected; comma, tab or semicolon."""

    def __init__(self, path: Path) -> None:
        with open_regular(path) as fh:
            sample = fh.read(CSV_SNIFF)
        try:
            self.encoding = detect_encoding(sample, complete=len(sample) < CSV_SNIFF)
        except BadFile as exc:
            raise BadFile(f"{path.name} 的{exc.message}") from None
        text = sample[: len(sample) // 2 * 2].decode(self.encoding, errors="ignore")
        # Lines that end in U+2028/U+2029 or NEL (and no line feed at all) are lines all the same.
        self.odd_breaks = not ("\n" in text or "\r" in text) and any(c in text for c in _ODD_BREAKS)
        self.delimiter = _delimiter(text.translate(_BREAK_TABLE) if self.odd_breaks else text)
        super().__init__(path, "csv", [SheetInfo(path.stem, True, 0)])

    def sheet(self, name: str) -> SheetData:
        size = self.path.stat().st_size
        data = SheetData(name, lambda: self._rows(data), max(1, size // 60))  # the height, known once read
        return data

    def _rows(self, data: SheetData | None = None) -> Iterator[tuple[int, list[Any]]]:
        """Rows as csv reads them, each record on the line it starts at. A line longer than MAX_LINE
        characters, or a quote that runs on over lines that are records of their own (a quote opened
        and never closed), refuses the file naming the line."""
        name = self.path.name
        with open_regular(self.path) as raw, io.TextIOWrapper(raw, encoding=self.encoding, newline="") as fh:
            lines = _split_odd(fh, name) if self.odd_breaks else _bounded(fh, name)
            reader = csv.reader(lines, delimiter=self.delimiter)
            start, width, count = 1, 0, 0
            try:
                for i, row in enumerate(reader):
                    count = i + 1
                    end = reader.line_num
                    width = max(width, len(row)) if i < 30 else width
                    if end > start and _swallowed(row, self.delimiter, width):
                        raise BadFile(f"{name} 第 {start} 行的引号没有配对：第 {start}—{end} 行被并成了一个单元格。",
                                      "请在 Excel 中检查这一行的引号（\"），或另存为 CSV 后再导入。")
                    start = end + 1
                    # A leading ' is the "keep as text" mark ('A-006, '2023-03-01), not part of the value.
                    yield i, [c[1:] if c[:1] == "'" and len(c) > 1 else c for c in row]
                if data is not None:  # read to the end: the height is known, no longer estimated
                    data.height = count
            except UnicodeDecodeError:
                raise BadFile(f"{name} 的编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），"
                              "请另存为 UTF-8 CSV。") from None
            except csv.Error as exc:
                raise BadFile(f"{name} 第 {reader.line_num} 行不是有效的 CSV：{exc}") from None


def detect_encoding(sample: bytes, complete: bool = False) -> str:
    """utf-8-sig or utf-16 for a BOM, utf-8 when the sample decodes as UTF-8, else gb18030 (a
    superset of GBK)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=complete)
    except UnicodeDecodeError:
        text = ""
    if text and not _big5(sample, text, complete):
        return "gb18030"
    if _big5(sample, text, complete):
        raise BadFile("文件编码似为 Big5（繁体），请另存为 UTF-8 或 GBK 的 CSV 后再导入。")
    raise BadFile("编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 CSV。")


def _big5(sample: bytes, text: str, complete: bool) -> bool:
    """Big5 read as GBK turns its common characters into kana, Greek, Cyrillic and box drawing (GBK
    rows A4–A9): a file that decodes as Big5 and reads like that as GBK is Big5."""
    odd = sum(1 for ch in text if "\u0370" <= ch <= "\u04ff" or "\u2500" <= ch <= "\u257f"
              or "\u3040" <= ch <= "\u30ff")
    wide = sum(1 for ch in text if ch > "\u007f")
    if text and (not wide or odd * 20 < wide):
        return False
    try:
        codecs.getincrementaldecoder("big5")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _swallowed(row: list[str], delimiter: str, width: int) -> bool:
    """A record over several lines whose quoted cell holds lines that are records of their own (as
    many delimiters as the header has columns between): a quote opened and never closed. A note
    written over a few lines in one cell holds one such line at most."""
    for cell in row:
        if "\n" in cell or "\r" in cell:
            lines = cell.splitlines()[1:]
            if sum(line.count(delimiter) >= max(width - 1, 1) for line in lines) >= 2:
                return True
    return False


MAX_LINE = 1 << 20  # characters in one line of a CSV file
_ODD_BREAKS = ("\u2028", "\u2029", "\x85")
_BREAK_TABLE = str.maketrans({c: "\n" for c in _ODD_BREAKS})


def _bounded(fh: io.TextIOBase, name: str) -> Iterator[str]:
    for n, line in enumerate(iter(lambda: fh.readline(MAX_LINE + 1), ""), 1):
        if len(line) > MAX_LINE:
            raise BadFile(f"{name} 第 {n} 行超过 {MAX_LINE:,} 个字符，不像台账的一行，拒绝读取。")
        yield line


def _split_odd(fh: io.TextIOBase, name: str) -> Iterator[str]:
    """Lines of a file whose lines end in U+2028/U+2029 or NEL."""
    pending = ""
    n = 0
    while chunk := fh.read(1 << 16):
        lines = (pending + chunk.translate(_BREAK_TABLE)).split("\n")
        pending = lines.pop()
        for line in lines:
            n += 1
            yield line + "\n"
        if len(pending) > MAX_LINE:
            raise BadFile(f"{name} 第 {n + 1} 行超过 {MAX_LINE:,} 个字符，不像台账的一行，拒绝读取。")
    if pending:
        yield pending


def _delimiter(text: str) -> str:
    lines = [line for line in io.StringIO(text).read().splitlines()[:20] if line.strip()]
    best, count = ",", 0
    for delim in (",", "\t", ";"):
        n = sum(line.count(delim) for line in lines)
        if n > count:
            best, count = delim, n
    return best


SUFFIX_OF_KIND = {"xlsx": ("xlsx", "xlsm", "xltx", "xltm", "xlsb"), "xls": ("xls", "xlt"), "ods": ("ods",)}


def open_book(path: str | Path) -> Book:
    """Check the file, then open it with the right reader. Raises BadFile with one clear line."""
    path = Path(path)
    kind = sniff_kind(path)
    if kind == "csv":
        return CsvBook(path)
    return CalamineBook(path, kind)
