"""The whole ledger (`zs export`) and an import's rejected rows, streamed as SpreadsheetML.

A province's ledger is millions of cells: a general writer builds an object per cell and spends most
of its time there (openpyxl's write-only mode about 11 µs a cell, XlsxWriter about 6 µs). These
sheets hold one kind of content — a title, a subtitle, a header and rows of text, numbers and dates —
so each row is written straight as XML into the zip, a handful of fixed cell styles doing the rest,
at a fifth of that cost and in memory that does not grow with the ledger. What a clerk prints is the
same as the report workbooks (paper.py): A4 landscape, 宋体, thin borders, the header repeated,
page numbers, a wide sheet split between column groups with its key columns repeated.

Cells are data, never formulas: text is a shared string whatever it starts with (= + - @).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from zhaoshang.render import show
from zhaoshang.render.paper import (
    FOOTER,
    HEADED_TOP_IN,
    MARGINS_IN,
    NORMAL_FONT,
    ROW_PT,
    TABLE_FONT,
    Fit,
    first_page,
    fit,
    lines_needed,
    page_header,
    sheet_name,
    text_width,
)
from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.columns import Col

WIDTH_SAMPLE = 1000  # column widths fit the header and the first rows
WRAP_AT = 40  # a text column wider than this wraps
EPOCH = dt.date(1899, 12, 30).toordinal()
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# Cell styles (cellXfs), in the order STYLES lists them.
TITLE, SUB, UNIT, HEAD, TEXT, WRAP, YI, INT, DAY, CENTER = range(1, 11)
KIND_STYLE = {"yi": YI, "int": INT, "usd": INT, "ldate": DAY, "code": CENTER, "stage": CENTER, "bool": CENTER,
              "yesno": CENTER, "milestone": CENTER, "verdict": CENTER, "unit_kind": CENTER}


@dataclass
class Sheet:
    name: str
    columns: int
    header: int  # 0-based row of the header
    rows: int  # data rows written
    plan: Fit
    filter: bool = True


@dataclass
class StreamBook:
    """An xlsx written sheet by sheet into a zip; `close` adds the workbook parts."""

    path: Path
    sheets: list[Sheet] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    # Every text once, in the shared-string table: a ledger repeats its names, units and stage words,
    # and the sheets' XML stays plain ASCII (cheap to encode and to compress).
    strings: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)

    def table(self, title: str, heading: str, sub: str, unit: str | None, columns: Sequence[Col],
              rows: Iterable[dict]) -> None:
        """One sheet: `heading` over the table, `sub` (district, date) and `unit` under it, the
        header, then every row, streamed."""
        name = sheet_name(title, self.used)
        rows = iter(rows)
        head = list(itertools.islice(rows, WIDTH_SAMPLE))
        if not head:  # an empty sheet says so above its header (a row under it would be read back as data)
            sub = "　".join(p for p in (sub, "本表无记录") if p)
        widths = _widths(columns, head)
        n = len(columns)
        heights = [ROW_PT * 1.6, ROW_PT,
                   ROW_PT * max(lines_needed(c.label("zh"), w) for c, w in zip(columns, widths, strict=True))]
        plan = fit(widths, [*heights, ROW_PT * len(head)], columns)
        heights[0] *= lines_needed(heading, sum(widths[: first_page(plan, n)]) * 11 / 16)
        header = 2
        wraps = {j for j, (c, w) in enumerate(zip(columns, widths, strict=True)) if c.kind in ("text", "raw")
                 and w >= WRAP_AT}
        strings = self.strings
        # A rejected row's cells are as the clerk typed them: 1 and True side by side, never one memo.
        specs = [(c.key, _letter(j), {} if c.kind != "raw" else _Forgetful(), _body_maker(c, j in wraps, strings))
                 for j, c in enumerate(columns)]
        with self.zip.open(f"xl/worksheets/sheet{len(self.sheets) + 1}.xml", "w", force_zip64=True) as out:
            styles = [KIND_STYLE.get(c.kind, WRAP if j in wraps else TEXT) for j, c in enumerate(columns)]
            _write(out, _sheet_head(plan, header, widths, styles))
            shown = first_page(plan, n)  # the title and the subtitle stay on the first page
            right = 2 if shown >= 5 and unit else 0
            sub_text = sub if right or not unit else "　".join(p for p in (sub, unit) if p)
            top = [f'<row r="1" ht="{heights[0]:.2f}" customHeight="1">{_text("A1", heading, TITLE, strings)}</row>',
                   f'<row r="2" ht="{heights[1]:.2f}" customHeight="1">{_text("A2", sub_text, SUB, strings)}'
                   + (_text(f"{_letter(shown - right)}2", unit or "", UNIT, strings) if right else "") + "</row>",
                   f'<row r="3" ht="{heights[2]:.2f}" customHeight="1">'
                   + "".join(_text(f"{_letter(j)}3", c.label("zh"), HEAD, strings)
                           for j, c in enumerate(columns)) + "</row>"]
            _write(out, "".join(top))
            count = 0
            buf: list[str] = []
            for i, row in enumerate(itertools.chain(head, rows), header + 2):
                buf.append(_row(row, i, specs))
                count += 1
                if len(buf) == 2000:
                    _write(out, "".join(buf))
                    buf.clear()
            _write(out, "".join(buf))
            merges = [f"A1:{_letter(shown - 1)}1", f"A2:{_letter(shown - right - 1)}2"] if shown > 1 else []
            if right:
                merges.append(f"{_letter(shown - right)}2:{_letter(shown - 1)}2")
            top_of_page = page_header(heading, sub_text if not right else sub, unit) if plan.mode == "columns" else ""
            _write(out, _sheet_tail(plan, header, n, count, merges, top_of_page))
        self.sheets.append(Sheet(name, n, header, count, plan, filter=count > 0))

    def close(self) -> None:
        sheets = self.sheets
        z = self.zip
        z.writestr("[Content_Types].xml", _content_types(len(sheets)))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("docProps/app.xml", _APP)
        z.writestr("docProps/core.xml", _CORE)
        z.writestr("xl/workbook.xml", _workbook(sheets))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        z.writestr("xl/styles.xml", STYLES)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            count = len(self.strings)
            _write(out, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                        f'count="{count}" uniqueCount="{count}">')
            buf = []
            for text in self.strings:
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                buf.append(f"<si><t{space}>{_clean(text)}</t></si>")
                if len(buf) == 5000:
                    _write(out, "".join(buf))
                    buf.clear()
            _write(out, "".join(buf) + "</sst>")
        z.close()


def _write(out: IO[bytes], text: str) -> None:
    out.write(text.encode("utf-8"))


def _letter(j: int) -> str:
    s, j = "", j + 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _clean(text: str) -> str:
    if ILLEGAL.search(text):
        text = ILLEGAL.sub("", text)
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    return text


def _text(ref: str, text: str, style: int, strings: dict[str, int]) -> str:
    """A text cell: its index in the shared-string table (added there the first time)."""
    n = strings.get(text)
    if n is None:
        n = strings[text] = len(strings)
    return f'<c r="{ref}" s="{style}" t="s"><v>{n}</v></c>'


# --------------------------------------------------------------------------- cells


def ledger_value(value: Any, col: Col) -> Any:
    """A ledger value as the cell `zs import` reads back exactly: 亿元 as an exact number, day dates
    as dates, month-only dates as text 2023年6月, labels in Chinese."""
    if value is None:
        return None
    kind = col.kind
    if kind == "yi":
        return Decimal(value) / Decimal(10000)
    if kind == "ldate":
        if len(value) == 7:
            return f"{int(value[:4])}年{int(value[5:7])}月"
        return dt.date.fromisoformat(value)
    if kind == "bool":
        return "是" if value else None
    if kind == "yesno":
        return "是" if value else "否"
    if kind in ("int", "usd"):
        return value
    if kind in ("text", "code", "raw"):
        return value if isinstance(value, (str, int, float, Decimal, dt.date)) else str(value)
    return show(value, kind, "zh")


MEMO_LIMIT = 200_000  # cell bodies remembered per column (dates, labels, names repeat)


class _Forgetful(dict):
    """A memo that remembers nothing."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def _row(row: dict, i: int, specs: Sequence[tuple]) -> str:
    """A row's XML: for each column the body of its cell (style, type and value, made once per
    distinct value and remembered), after the cell's reference. The hot loop of a million-row
    export: no call per cell but two dictionary lookups. An empty cell is not written: its column's
    style borders it (<col style>)."""
    n = str(i)
    parts = [f'<row r="{n}">']
    for key, letter, memo, make in specs:
        value = row.get(key)
        if value is None:
            continue
        body = memo.get(value)
        if body is None:
            body = make(value)
            if len(memo) < MEMO_LIMIT:
                memo[value] = body
        if body:
            parts.append(f'<c r="{letter}{n}"{body}')
    parts.append("</row>")
    return "".join(parts)


def _body_maker(col: Col, wrap: bool, strings: dict[str, int]):  # type: ignore[no-untyped-def]
    """The function making a cell's body (after `<c r="A1"`) from a value of this column: text into
    the shared strings, 亿元 exact from 万元, dates as date serials, labels in Chinese; "" for a
    cell left empty."""
    style = KIND_STYLE.get(col.kind, WRAP if wrap else TEXT)

    def text(value: str, text_style: int = style) -> str:
        n = strings.get(value)
        if n is None:
            n = strings[value] = len(strings)
        return f' s="{text_style}" t="s"><v>{n}</v></c>'

    def make(raw: Any) -> str:
        if col.kind == "yi" and isinstance(raw, int):  # 万元 → 亿元, exact: 123456 → 12.3456
            whole, part = divmod(abs(raw), 10000)
            figure = f"{'-' if raw < 0 else ''}{whole}" + (f".{part:04d}".rstrip("0") if part else "")
            return f' s="{YI}"><v>{figure}</v></c>'
        value = ledger_value(raw, col)
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return text(value)
        if isinstance(value, bool):
            return text("是" if value else "否")
        if isinstance(value, dt.date):
            return f' s="{DAY}"><v>{value.toordinal() - EPOCH}</v></c>'
        return f' s="{style if style in (YI, INT) else TEXT}"><v>{value}</v></c>'

    return make


def _widths(columns: Sequence[Col], rows: Sequence[dict]) -> list[float]:
    widths = [text_width(c.label("zh")) for c in columns]
    for row in rows:
        for j, c in enumerate(columns):
            value = row.get(c.key)
            if value is not None:
                shown = format_yi(value) if c.kind == "yi" else str(ledger_value(value, c))
                widths[j] = max(widths[j], 10 if c.kind == "ldate" else text_width(shown))
    return [float(min(max(w + 2, 6), WRAP_AT)) for w in widths]


# --------------------------------------------------------------------------- sheet and workbook parts


def _sheet_head(plan: Fit, header: int, widths: Sequence[float], styles: Sequence[int]) -> str:
    fit_page = ' <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if plan.mode != "columns" else ""
    frozen = header + 1
    # Each column's cell style is its default too: an empty cell of the table is bordered unwritten.
    cols = "".join(f'<col min="{j}" max="{j}" width="{w:.2f}" style="{st}" customWidth="1"/>'
                   for j, (w, st) in enumerate(zip(widths, styles, strict=True), 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f"{fit_page}<sheetViews><sheetView workbookViewId=\"0\">"
            f'<pane ySplit="{frozen}" topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A{0}" sqref="A{0}"/></sheetView></sheetViews>'.format(frozen + 1)
            + f'<sheetFormatPr defaultRowHeight="{ROW_PT}"/><cols>{cols}</cols><sheetData>')


def _sheet_tail(plan: Fit, header: int, n: int, count: int, merges: Sequence[str], top_of_page: str) -> str:
    last = _letter(n - 1)
    parts = ["</sheetData>"]
    if count:
        parts.append(f'<autoFilter ref="A{header + 1}:{last}{header + 1 + count}"/>')
    if merges:
        parts.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                     + "</mergeCells>")
    parts.append('<printOptions horizontalCentered="1"/>')
    m = MARGINS_IN
    top = HEADED_TOP_IN if top_of_page else m["top"]
    parts.append(f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{top}" bottom="{m["bottom"]}" '
                 'header="0.3" footer="0.3"/>')
    fitting = {"whole": ' fitToWidth="1" fitToHeight="1"', "width": ' fitToWidth="1" fitToHeight="0"'}
    order = ' pageOrder="overThenDown"' if plan.mode == "columns" else ""  # a row's pages one after another
    parts.append(f'<pageSetup paperSize="9" orientation="landscape"{order}{fitting.get(plan.mode, "")}/>')
    head = f"<oddHeader>{escape(top_of_page)}</oddHeader>" if top_of_page else ""
    parts.append(f"<headerFooter>{head}<oddFooter>{escape(FOOTER)}</oddFooter></headerFooter>")
    if plan.breaks:
        parts.append(f'<colBreaks count="{len(plan.breaks)}" manualBreakCount="{len(plan.breaks)}">'
                     + "".join(f'<brk id="{b}" max="1048575" man="1"/>' for b in plan.breaks) + "</colBreaks>")
    parts.append("</worksheet>")
    return "".join(parts)


def _workbook(sheets: Sequence[Sheet]) -> str:
    listed = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1))
    names = []
    for i, s in enumerate(sheets):
        ref = "'" + s.name.replace("'", "''") + "'"
        last = _letter(s.columns - 1)
        titles = f"{ref}!${s.header + 1}:${s.header + 1}"
        if s.plan.key:
            titles = f"{ref}!$A:${_letter(s.plan.key - 1)},{titles}"
        if s.plan.mode == "columns":  # the title is in the page header: the print starts at the table's header
            area = f"{ref}!$A${s.header + 1}:${last}${s.header + 1 + max(s.rows, 1)}"
            names.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">{escape(area)}</definedName>')
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(titles)}</definedName>')
        if s.filter:
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f"{escape(ref)}!$A${s.header + 1}:${last}${s.header + 1 + s.rows}</definedName>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<bookViews><workbookView/></bookViews><sheets>{listed}</sheets>'
            + (f"<definedNames>{''.join(names)}</definedNames>" if names else "") + "</workbook>")


def _workbook_rels(n: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, n + 1))
    rels += f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
    rels += f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
            f"{rels}</Relationships>")


def _content_types(n: int) -> str:
    ct = "application/vnd.openxmlformats-officedocument"
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                     f'ContentType="{ct}.spreadsheetml.worksheet+xml"/>'
                     for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.spreadsheetml.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{ct}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{ct}.extended-properties+xml"/></Types>')


_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<Relationships xmlns="{PKG_REL}">'
              f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
              'core-properties" Target="docProps/core.xml"/>'
              f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
        'officeDocument/2006/extended-properties"><Application>zs</Application></Properties>')
_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.'
         'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
         "<dc:creator>zs</dc:creator></cp:coreProperties>")
_FONT = f'<name val="{TABLE_FONT}"/><charset val="134"/><family val="3"/>'
_BORDER = "<left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right>" \
          "<top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/>"
_XF = '<xf numFmtId="{n}" fontId="{f}" fillId="{fill}" borderId="{b}" xfId="0"{apply}>{align}</xf>'


def _xf(n: int = 0, f: int = 1, fill: int = 0, b: int = 0, h: str = "", wrap: bool = False) -> str:
    align = f'<alignment{f" horizontal={chr(34)}{h}{chr(34)}" if h else ""} vertical="center"' \
            f'{" wrapText=" + chr(34) + "1" + chr(34) if wrap else ""}/>'
    apply = (' applyNumberFormat="1"' if n else "") + ' applyFont="1"' + \
            (' applyFill="1"' if fill else "") + (' applyBorder="1"' if b else "") + ' applyAlignment="1"'
    return _XF.format(n=n, f=f, fill=fill, b=b, apply=apply, align=align)


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    f'<fonts count="4"><font><sz val="11"/><name val="{NORMAL_FONT}"/><family val="2"/></font>'
    f'<font><sz val="11"/>{_FONT}</font><font><b/><sz val="11"/>{_FONT}</font>'
    f'<font><b/><sz val="16"/>{_FONT}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEEF2F7"/><bgColor indexed="64"/></patternFill></fill>'
    f'</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>{_BORDER}</border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="11">'
    + _xf()  # 0 default
    + _xf(f=3, h="center", wrap=True)  # TITLE
    + _xf(wrap=True)  # SUB
    + _xf(h="right")  # UNIT
    + _xf(f=2, fill=2, b=1, h="center", wrap=True)  # HEAD
    + _xf(b=1)  # TEXT
    + _xf(b=1, wrap=True)  # WRAP
    + _xf(n=164, b=1)  # YI
    + _xf(n=3, b=1)  # INT
    + _xf(n=165, b=1, h="center")  # DAY
    + _xf(b=1, h="center")  # CENTER
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


# --------------------------------------------------------------------------- documents


def write_ledger(out: Path, tables: Any) -> None:
    """The whole ledger (services.export.LedgerTables): a sheet per ledger, written atomically."""
    from zhaoshang.render.paper import subtitle, unit_line, write_whole

    stamp = f"导出时间：{tables.today.year}年{tables.today.month}月{tables.today.day}日"

    def write(path: Path) -> None:
        book = StreamBook(path)
        for table in tables.sheets:
            book.table(table.name, table.title, subtitle(tables.district, stamp, "zh"), unit_line(table.columns, "zh"),
                       table.columns, table.rows())
        book.close()

    write_whole(out, write)


def write_rejected(out: Path, result: Any) -> None:
    """The rows an import rejected, as they were, with a reason column, one sheet per source sheet:
    fix them and import this file. The title keeps the year and the banner the unit of money."""
    from zhaoshang.render.paper import write_whole

    def write(path: Path) -> None:
        book = StreamBook(path)
        for rej in result.rejected_sheets:
            labels = [label or f"列{j + 1}" for j, label in enumerate(rej.labels)]
            extra = sorted({k for ctx in rej.context.values() for k in ctx})
            columns = [Col(f"c{j}", label, label, "raw") for j, label in enumerate(labels)]
            columns += [Col(k, k, k) for k in extra]
            columns.append(Col("reason", "错误原因", "Reason"))
            rows = []
            for row_no, cells, reason in rej.rows:
                data: dict[str, Any] = {f"c{j}": _cell_text(v) for j, v in enumerate(cells[: len(labels)])}
                data.update(rej.context.get(row_no, {}))
                data["reason"] = f"第 {row_no + 1} 行：{reason}"
                rows.append(data)
            year = f"{rej.banner.year}年 " if rej.banner.year else ""
            banner = [f"单位：{rej.banner.unit}"] if rej.banner.unit else []
            if rej.banner.reporting_unit:
                banner.append(f"填报单位：{rej.banner.reporting_unit}")
            book.table(rej.sheet, f"{year}{result.file} 被拒绝的行", "　".join(banner), None, columns, rows)
        book.close()

    write_whole(out, write)


def _cell_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or not value.time() else value.isoformat()
    return value

