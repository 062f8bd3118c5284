"""A unit's weekly return template (周报表) as an xlsx, written with XlsxWriter (imported only here).

The 项目台账 sheet lists the unit's live projects: code and name locked by sheet protection without a
password (nobody is locked out; an edited lock is caught on the way back by the checksum), the other
cells open, the stage a dropdown of the district's stage words, dates and amounts validated with an
input message saying the forms the import takes, this week's columns (本周进展 … 解决时限) shaded, and
empty rows for new projects under a 注 line the import passes over. 外出招商 takes the week's trips,
填报说明 says how to fill it in. A very hidden 模板信息 sheet keeps the unit, the week, the ledger's id,
the template's version and the locked cells with their checksum, so a return is recognised even
renamed. Every sheet prints on A4 landscape with borders, its title naming the district, the unit
and the week, the header repeated and page numbers in the footer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhaoshang.render import show
from zhaoshang.render.paper import NORMAL_FONT, TABLE_FONT, Fit, lines_needed, write_whole
from zhaoshang.render.xlsx import page_setup
from zhaoshang.vocabulary.returns import (
    LISTS_SHEET,
    LOCKED,
    MARK,
    META_SHEET,
    NEW_ROWS,
    NOTES_SHEET,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    TRIP_COLUMNS,
    TRIP_SHEET,
)
from zhaoshang.vocabulary.stages import STAGE_ZH
from zhaoshang.vocabulary.tuijin import completed_header, plan_header
from zhaoshang.vocabulary.weeks import week_short_zh

# A form is denser than a report: 10 pt cells (the reports' tables are 11 pt, render/paper.py).
BODY_PT, TITLE_PT = 10, 16
ROW_PT = 15.75
HEADER = 2  # the header row (0-based): title, banner, header
# Column widths in characters and how each header breaks.
WIDTHS = {"index": 5, "code": 9, "name": 16, "investor": 13, "investment_wan": 8, "chain": 15, "stage": 8,
          "support_units": 12, "leaders": 12, "plan_wan": 10, "completed_wan": 10,
          "signed_on": 11, "started_on": 11, "produced_on": 11, "progress": 20, "next_step": 15, "problems": 16,
          "coordination": 13, "due_on": 11}
HEADS = {"investment_wan": "总投资\n（亿元）", "chain": "所属\n产业链", "stage": "项目\n阶段",
         "leaders": "区级包保\n领导", "signed_on": "签约\n时间", "started_on": "开工\n时间",
         "produced_on": "投产\n时间", "coordination": "需协调\n事项", "due_on": "解决\n时限"}
# The row over the empty rows for new projects: a 注 line, which the import passes over.
NEW_BLOCK = "注：以下空行填写本周新增的项目（项目编号可不填，收表时自动生成；责任单位即本单位）。"
THIS_WEEK = ("progress", "next_step", "problems", "coordination", "due_on")
DATE_HELP = "填日期，如 2023-06-26、2023/6/26、2023年6月26日；只知道月份可填 2023年6月。"
TRIP_WIDTHS = {"date": 12, "leader": 14, "is_main_leader": 10, "destination": 18, "region": 12, "visits": 9,
               "negotiations": 9, "note": 30}


def write_template(out: Path, t: Any) -> None:
    """One unit's template (services.returns.template.Template) written whole to `out`."""
    write_whole(out, lambda path: _workbook(path, t))


def _workbook(path: Path, t: Any) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    wb.formats[0].set_font_name(NORMAL_FONT)
    wb.set_properties({"title": f"{t.unit} {t.stem} 招商引资项目周报表", "subject": MARK, "author": "zs",
                       "created": dt.datetime.combine(t.generated_on, dt.time())})
    f = _Formats(wb)
    columns = {"stage": t.stage_words, "chain": t.chains or [""], "yes_no": ["是", "否"]}
    lists = {key: f"='{LISTS_SHEET}'!${chr(65 + j)}$1:${chr(65 + j)}${max(len(values), 1)}"
             for j, (key, values) in enumerate(columns.items())}
    _projects(wb.add_worksheet(PROJECT_SHEET), f, t, lists)
    _trips(wb.add_worksheet(TRIP_SHEET), f, t, lists)
    _notes(wb.add_worksheet(NOTES_SHEET), f, t)
    _lists(wb.add_worksheet(LISTS_SHEET), columns)
    _meta(wb.add_worksheet(META_SHEET), t)
    wb.close()


class _Formats:
    """The cell formats, made once: 宋体, borders, locked or open, shaded for this week's columns."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self._made: dict[tuple, Any] = {}

    def __call__(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self.wb.add_format({"font_name": TABLE_FONT, "font_size": BODY_PT, "valign": "vcenter",
                                                  **props})
        return self._made[key]

    def cell(self, kind: str, *, locked: bool, shade: bool = False) -> Any:
        props: dict[str, Any] = {"border": 1, "locked": locked}
        if locked:
            props["bg_color"] = "#EDEDED"
        elif shade:
            props["bg_color"] = "#FFF8E1"
        if kind == "yi":
            props["num_format"] = "0.00"
        elif kind == "wan":
            props["num_format"] = "0"
        elif kind in ("date", "ldate"):
            props |= {"num_format": "yyyy-mm-dd", "align": "center"}
        elif kind in ("code", "stage", "int", "bool"):
            props["align"] = "center"
        else:
            props["text_wrap"] = True
        return self(**props)


def _lists(ws: Any, columns: dict[str, list[str]]) -> None:
    """The hidden sheet the dropdowns read: stage words, chains, 是/否."""
    for j, values in enumerate(columns.values()):
        for i, value in enumerate(values):
            ws.write_string(i, j, value)
    ws.hide()


def _title(ws: Any, f: _Formats, width: int, title: str, banner: str) -> None:
    ws.merge_range(0, 0, 0, width - 1, title, f(bold=True, font_size=TITLE_PT, align="center"))
    ws.set_row(0, TITLE_PT * 1.8)
    ws.merge_range(1, 0, 1, width - 1, banner, f(text_wrap=True))
    ws.set_row(1, ROW_PT * 1.3)


def _banner(t: Any, money: bool) -> str:
    parts = [f"填报单位：{t.unit}", f"周次：{t.week_label}", f"报送截止：{t.due_text}"]
    return "　　".join([*parts, *(["金额单位：亿元"] if money else [])])


def _header(ws: Any, f: _Formats, labels: list[str], widths: list[int]) -> None:
    fmt = f(bold=True, align="center", text_wrap=True, border=1, bg_color="#DDE5F0")
    for j, (label, width) in enumerate(zip(labels, widths, strict=True)):
        ws.set_column(j, j, width)
        ws.write_string(HEADER, j, label, fmt)
    ws.set_row(HEADER, ROW_PT * 2.2)


def _validate(ws: Any, first: int, last: int, j: int, kind: str, lists: dict[str, str]) -> None:
    """The dropdown or the check a column's open cells take, each with an input message."""
    if kind == "stage":
        ws.data_validation(first, j, last, j, {
            "validate": "list", "source": lists["stage"], "input_title": "项目阶段",
            "input_message": "从下拉列表选：谋划、线索、在谈、签约、具备开工条件、开工、投产、终止，或本区的阶段用词。",
            "error_title": "项目阶段", "error_message": "请从下拉列表中选择阶段。"})
    elif kind == "chain":
        ws.data_validation(first, j, last, j, {
            "validate": "list", "source": lists["chain"], "input_title": "所属产业链",
            "input_message": "从下拉列表选本区的产业链。", "error_type": "warning",
            "error_title": "所属产业链", "error_message": "不在本区产业链名单中。是否仍要填写？"})
    elif kind in ("date", "ldate"):
        ws.data_validation(first, j, last, j, {
            "validate": "date", "criteria": "between", "minimum": dt.date(1949, 1, 1),
            "maximum": dt.date(2100, 12, 31), "input_title": "日期", "input_message": DATE_HELP,
            "error_type": "warning", "error_title": "日期",
            "error_message": "不是日期。只知道月份可填 2023年6月（选“是”保留）。"})
    elif kind == "yi":
        ws.data_validation(first, j, last, j, {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 10000,
            "input_title": "总投资（亿元）",
            "input_message": "以亿元为单位填数字，如 10.3；5000万元填 0.5；不确定填“待定”。",
            "error_type": "warning", "error_title": "总投资",
            "error_message": "不是亿元数字。写“待定”表示未知；不要写“约10亿”“5-8亿”。是否仍要填写？"})
    elif kind == "wan":
        ws.data_validation(first, j, last, j, {
            "validate": "decimal", "criteria": ">=", "value": 0, "input_title": "投资（万元）",
            "input_message": "以万元为单位填数字，如 3200。完成投资填本年1月起到本月底的累计数。",
            "error_type": "warning", "error_title": "投资（万元）",
            "error_message": "不是万元数字。不要写“约3000”“2000-3000”。是否仍要填写？"})
    elif kind == "int":
        ws.data_validation(first, j, last, j, {
            "validate": "integer", "criteria": ">=", "value": 0, "input_title": "个数",
            "input_message": "填整数，如 2。", "error_title": "个数", "error_message": "请填 0 或正整数。"})
    elif kind == "bool":
        ws.data_validation(first, j, last, j, {
            "validate": "list", "source": lists["yes_no"], "input_title": "主要领导带队",
            "input_message": "是 或 否。", "error_title": "主要领导带队", "error_message": "请选择 是 或 否。"})


def _value(row: dict, key: str) -> Any:
    """What a pre-filled cell holds: money in 亿元, a day as a date, a month as 2023年6月."""
    value = row.get(key)
    if value is None:
        return None
    if key == "investment_wan":
        return float(Decimal(value) / Decimal(10000))
    if key == "stage":
        return show(value, "stage")
    if isinstance(value, list):  # 配合单位, 包保领导: as a clerk writes them
        return "、".join(value) or None
    if key.endswith("_on") and isinstance(value, str):
        if len(value) == 7:
            return f"{int(value[:4])}年{int(value[5:7])}月"
        return dt.date.fromisoformat(value)
    return value


def _write(ws: Any, i: int, j: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        ws.write_blank(i, j, None, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(i, j, dt.datetime.combine(value, dt.time()), fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(i, j, value, fmt)
    else:
        ws.write_string(i, j, str(value), fmt)


def _lines(text: Any, width: int) -> int:
    return lines_needed(text, width) if isinstance(text, str) and text else 1


def _projects(ws: Any, f: _Formats, t: Any, lists: dict[str, str]) -> None:
    cols = PROJECT_COLUMNS
    n = len(cols)
    title = f"{t.district or ''}招商引资项目周报表（{t.unit} · {week_short_zh(t.week)}）"
    _title(ws, f, n, title, _banner(t, money=True))
    widths = [WIDTHS[c.key] for c in cols]
    year, month = t.year_month
    heads = HEADS | {"plan_wan": plan_header(year).replace("投资", "投资\n", 1),
                     "completed_wan": completed_header(year, month).replace("月", "月\n", 1)}
    _header(ws, f, [heads.get(c.key, c.zh) for c in cols], widths)
    r = HEADER + 1
    for index, row in enumerate(t.projects, 1):
        lines = 1
        for j, c in enumerate(cols):
            locked = c.key in ("code", "name")
            value = index if c.key == "index" else (row.get("problems") if c.key == "problems" else _value(row, c.key))
            kind = "int" if c.key == "index" else c.kind
            _write(ws, r, j, value, f.cell(kind, locked=locked or c.key == "index", shade=c.key in THIS_WEEK))
            lines = max(lines, _lines(value, widths[j]))
        ws.set_row(r, ROW_PT * max(lines, 2))
        r += 1
    first_new = r + 1
    ws.merge_range(r, 0, r, n - 1, NEW_BLOCK, f(bold=True, border=1, bg_color="#F3F6FA"))
    ws.set_row(r, ROW_PT * 1.3)
    for i in range(first_new, first_new + NEW_ROWS):
        for j, c in enumerate(cols):
            kind = "int" if c.key == "index" else c.kind
            ws.write_blank(i, j, None, f.cell(kind, locked=c.key == "index", shade=c.key in THIS_WEEK))
        ws.set_row(i, ROW_PT * 2)
    last = first_new + NEW_ROWS - 1
    for j, c in enumerate(cols):
        if c.key in ("code", "name", "index", "investor", "progress", "next_step", "problems", "coordination",
                     "support_units", "leaders"):
            continue
        if t.projects or c.key not in ("code", "name"):
            _validate(ws, HEADER + 1, last, j, {"chain": "chain", "stage": "stage"}.get(c.key, c.kind), lists)
    foot = last + 2
    ws.write_string(foot, 0, "填报人：                    联系电话：                    审核人：", f())
    ws.freeze_panes(HEADER + 1, 3)
    _print(ws, HEADER, foot, n)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def _trips(ws: Any, f: _Formats, t: Any, lists: dict[str, str]) -> None:
    cols = TRIP_COLUMNS
    n = len(cols)
    _title(ws, f, n, f"{t.district or ''}外出招商情况（{t.unit} · {week_short_zh(t.week)}）",
           _banner(t, money=False))
    widths = [TRIP_WIDTHS[c.key] for c in cols]
    _header(ws, f, [c.zh for c in cols], widths)
    first, last = HEADER + 1, HEADER + NEW_ROWS
    for i in range(first, last + 1):
        for j, c in enumerate(cols):
            ws.write_blank(i, j, None, f.cell(c.kind, locked=False))
        ws.set_row(i, ROW_PT * 1.6)
    for j, c in enumerate(cols):
        if c.kind in ("date", "int", "bool"):
            _validate(ws, first, last, j, c.kind, lists)
    ws.write_string(last + 2, 0, "注：本周（含周末）本单位领导带队外出招商的每一次填一行；没有外出可不填。", f())
    ws.freeze_panes(HEADER + 1, 0)
    _print(ws, HEADER, last + 2, n)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def _notes(ws: Any, f: _Formats, t: Any) -> None:
    lines = [
        f"{t.district or ''}招商引资项目周报表 填报说明",
        f"填报单位：{t.unit}    周次：{t.week_label}    报送截止：{t.due_text}",
        "1. “项目台账”列出本单位在推进的项目。项目编号、项目名称已锁定，请勿修改；名称有误请另行告知招商办。",
        "2. 有变化的项目，直接改对应单元格：投资方、总投资（亿元）、所属产业链、项目阶段（下拉选择）、"
        "签约/开工/投产时间。没有变化的不用动。",
        "3. 每个项目本周的情况填在浅黄色的列：本周进展、下步计划、存在问题、需协调事项、解决时限。"
        "“存在问题”已列出尚未解决的问题；问题已解决的，删去该问题并在“本周进展”中写明。",
        "4. 日期可填 2023-06-26、2023/6/26、2023年6月26日；只知道月份填 2023年6月。金额以亿元为单位填数字，"
        "不确定填“待定”，不要写“约10亿”“5-8亿”。年度计划投资和完成投资以万元为单位填数字，完成投资填本年1月起"
        "到表头所写月份月底的累计数。",
        "5. 本周新增的项目填在表下方的空行，项目编号可不填。已终止的项目，把项目阶段改为“终止”，不要删除该行"
        "（删除行不会删除项目）。",
        "6. 本周外出招商的情况填在“外出招商”表，每次外出一行。",
        f"7. 请在 {t.due_text} 前把本文件原样发回（可改文件名，请勿另存为其他格式、勿复制到新表）。",
    ]
    supported = getattr(t, "supported", [])
    if supported:  # a section of its own: the lead unit reports these, this sheet is never imported
        lines.append(f"本单位作为配合单位的项目（{len(supported)} 个，由牵头单位报送，此处仅供参阅，不必填报）：")
        lines += [f"    {p['code']}  {p['name']}  —  牵头单位：{p['unit'] or '未指定'}；"
                  f"{STAGE_ZH.get(p['stage'], p['stage'])}" for p in supported]
    ws.set_column(0, 0, 110)
    ws.write_string(0, 0, lines[0], f(bold=True, font_size=TITLE_PT, align="center"))
    ws.set_row(0, TITLE_PT * 1.8)
    for i, line in enumerate(lines[1:], 1):
        ws.write_string(i, 0, line, f(text_wrap=True, valign="top", font_size=11))
        ws.set_row(i, 15 * _lines(line, 110) + 6)
    _print(ws, 0, len(lines) - 1, 1)


def _meta(ws: Any, t: Any) -> None:
    """Key | value rows, then one locked row per pre-filled project: code, name, the row it is on."""
    values = {"template": MARK, "version": t.version, "ledger": t.ledger, "district": t.district or "",
              "unit": t.unit, "week": t.stem, "generated": t.generated_on.isoformat(), "checksum": t.checksum}
    for i, (key, value) in enumerate(values.items()):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    first = HEADER + 2  # the first project's row, 1-based
    for k, (code, name) in enumerate(t.locked):
        i = len(values) + k
        ws.write_string(i, 0, LOCKED)
        ws.write_string(i, 1, code)
        ws.write_string(i, 2, name)
        ws.write_number(i, 3, first + k)
    ws.very_hidden()


def _print(ws: Any, header: int, last: int, width: int) -> None:
    """The reports' page (A4 landscape, margins, the header row on every page, page numbers), one
    page wide and as many down as it takes."""
    page_setup(ws, Fit("width"), header)
    ws.print_area(0, 0, last, width - 1)
