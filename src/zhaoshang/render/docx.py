"""Word bulletins (`--format docx`), laid out after GB/T 9704-2012 (党政机关公文格式): A4, a text
block of 156 × 225 mm, the title in 小标宋 2号 (宋体 where the machine lacks it), the body in 仿宋
3号 at 22 lines a page, headings 一、（一）1., tables with borders and a 合计 row, page numbers
"— 1 —" (odd pages right, even pages left). python-docx is imported only here.

A month's 通报 reads as one: 一、总体情况 (the bulletin's paragraphs), 二、各单位完成情况 (the
ranking table, the first three and last three units named), 三、存在问题 (units with no new signing
or no new lead, overdue problems), 四、下步工作要求 (the paragraph the office keeps in the ledger:
`zs settings bulletin-closing`). The other reports follow the same four parts with their own tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zhaoshang.render import show
from zhaoshang.render.paper import text_width, write_whole
from zhaoshang.vocabulary.columns import Col

TITLE_FONT, TITLE_ALT = "方正小标宋简体", "宋体"
BODY_FONT, BODY_ALT = "仿宋_GB2312", "仿宋"
HEADING_FONT, SUBHEADING_FONT = "黑体", "楷体_GB2312"
TABLE_FONT = "宋体"
LATIN = "Times New Roman"
NUMERALS = "一二三四五六七八九十"
MAX_COLUMNS = 9  # a table wider than this goes on in a second table, its first column repeated
DEFAULT_CLOSING = (
    "各单位要对照年度目标任务，倒排工期、挂图作战，紧盯在谈项目加快签约、签约项目加快开工、开工项目加快投产，"
    "确保完成全年目标任务。\n\n"
    "各单位主要负责同志要亲自抓招商、抓项目，对通报中指出的问题逐项研究解决，按时限办结；"
    "排名靠后的单位要认真分析原因，拿出具体措施，迎头赶上。")


class Bulletin:
    """A python-docx document set up as a 公文 page, with the paragraph kinds a bulletin uses."""

    def __init__(self) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm, Pt

        self.doc = docx.Document()
        self.Pt = Pt
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)  # the text block: 156 × 225 mm
        section.header_distance, section.footer_distance = Mm(15), Mm(24)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(16)
        _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing, fmt.space_before, fmt.space_after = Pt(28.95), Pt(0), Pt(0)
        _alt_names(self.doc)
        self._page_numbers()

    # ------------------------------------------------------------------- paragraphs

    def title(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = self.Pt(35)
        self._run(p, text, TITLE_FONT, 22)
        self.doc.add_paragraph()

    def addressee(self, text: str) -> None:
        self._run(self.doc.add_paragraph(), text)

    def para(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = self.Pt(32)
        self._run(p, text)

    def heading(self, text: str, level: int = 1) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = self.Pt(32)
        p.paragraph_format.keep_with_next = True
        if level == 1:
            self._run(p, text, HEADING_FONT)
        elif level == 2:
            self._run(p, text, SUBHEADING_FONT)
        else:
            self._run(p, text, bold=True)

    def right(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = self.Pt(64)
        self._run(p, text)

    def _run(self, p: Any, text: str, font: str = BODY_FONT, size: float = 16, bold: bool = False) -> Any:
        run = p.add_run(text)
        run.font.size = self.Pt(size)
        run.font.bold = bold
        _fonts(run._element.get_or_add_rPr(), font)
        return run

    # ------------------------------------------------------------------- tables

    def table(self, columns: Sequence[Col], rows: Sequence[dict], lang: str, total: dict | None = None) -> None:
        """Rows (and the 合计 row) under a header, with borders; wide tables go on in a second table."""
        if not columns:
            return
        first, rest = columns[0], list(columns[1:])
        parts = -(-len(rest) // (MAX_COLUMNS - 1)) or 1
        step = -(-len(rest) // parts) or 1  # as many columns in each part as can be
        for k in range(0, max(len(rest), 1), step):
            self._table([first, *rest[k:k + step]], rows, lang, total)

    def _table(self, columns: Sequence[Col], rows: Sequence[dict], lang: str, total: dict | None) -> None:
        from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        body = [*rows, *([total] if total is not None else [])]
        size, widths = layout(columns, body, lang)
        table = self.doc.add_table(rows=1 + len(body), cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for j, column in enumerate(table.columns):
            column.width = Mm(widths[j])
        for i, values in enumerate([None, *body]):
            cells = table.rows[i].cells
            for j, c in enumerate(columns):
                cell = cells[j]
                cell.width = Mm(widths[j])
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
                text = c.label(lang).replace("\n", "") if values is None else show(values.get(c.key), c.kind, lang)
                p = cell.paragraphs[0]
                p.paragraph_format.line_spacing = 1.0
                p.paragraph_format.first_line_indent = 0
                p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if values is None
                               else WD_ALIGN_PARAGRAPH.RIGHT if c.numeric else WD_ALIGN_PARAGRAPH.LEFT)
                strong = values is None or (total is not None and values is total)
                self._run(p, text, TABLE_FONT, size, bold=strong)
        if table.rows:
            _repeat_header(table.rows[0])
        for row in table.rows:  # a row is never split over two pages
            row._tr.get_or_add_trPr().append(_flag("w:cantSplit"))
        self.doc.add_paragraph()

    def close_to(self, path: Path) -> None:
        self.doc.save(str(path))

    # ------------------------------------------------------------------- page numbers

    def _page_numbers(self) -> None:
        """— 1 — in 4号 宋体: odd pages on the right, even pages on the left, a character in."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            p = footer.paragraphs[0]
            p.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = self.Pt(14)
            else:
                p.paragraph_format.left_indent = self.Pt(14)
            self._run(p, "— ", TABLE_FONT, 14)
            _page_field(self._run(p, "", TABLE_FONT, 14))
            self._run(p, " —", TABLE_FONT, 14)


def _fonts(rpr: Any, east_asia: str) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _alt_names(doc: Any) -> None:
    """Name in the font table what Word (and LibreOffice) should use where a font is missing:
    小标宋 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = parse_xml(part.blob)
    for name, alt in ((TITLE_FONT, TITLE_ALT), (BODY_FONT, BODY_ALT), (SUBHEADING_FONT, "楷体"),
                      (HEADING_FONT, "SimHei"), (TABLE_FONT, "SimSun")):
        root.append(parse_xml(f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                              '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_field(run: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def _flag(tag: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    return el


def _repeat_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(_flag("w:tblHeader"))


TEXT_MM = 156  # the width of the text block
PAD_MM = 4.4  # a cell's left and right margins together, and a little air


def layout(columns: Sequence[Col], rows: Sequence[dict], lang: str) -> tuple[float, list[float]]:
    """A table's font size and column widths in mm within the text block: figures, codes and dates
    always whole on one line; names and other text wrap (down to four characters a line) before the
    font gets smaller (12 → 10.5 → 9 pt); what is left over widens the text columns."""
    need = []
    for c in columns:
        values = [text_width(show(r.get(c.key), c.kind, lang)) for r in rows]
        label = c.label(lang).replace("\n", "")
        need.append((max(values, default=0), text_width(label), c.numeric or c.kind in ("date", "code")))
    for size in (12, 10.5, 9):
        unit = size / 2 * 0.3528 * 1.1  # a half-width character in mm (digits, with a margin for % and letters)
        widths = [(max(data, -(-head // 3) if rigid else min(head, 8), 4) * unit + PAD_MM)
                  for data, head, rigid in need]
        spare = TEXT_MM - sum(widths)
        if spare < 0:  # wrap the text columns, widest first, down to four characters
            for j in sorted(range(len(need)), key=lambda k: -widths[k]):
                if need[j][2]:
                    continue
                least = 8 * unit + PAD_MM
                cut = min(widths[j] - least, -spare)
                if cut > 0:
                    widths[j] -= cut
                    spare += cut
        if spare >= 0 or size == 9:
            text = [j for j, n in enumerate(need) if not n[2]] or list(range(len(need)))
            for j in text:
                widths[j] += max(spare, 0) / len(text)
            return size, widths
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- the bulletins


TITLES = {
    "week": "关于{label}招商引资工作调度情况的通报",
    "month": "关于{label}招商引资工作情况的通报",
    "quarter": "关于{label}招商引资工作评价情况的通报",
    "year": "关于{label}招商引资项目认定情况的通报",
    "scorecard": "关于{label}进展情况的通报",
}


def write_bulletin(out: Path, report: Any, lang: str = "zh") -> None:
    """The report as a Word bulletin, written whole."""
    def write(path: Path) -> None:
        doc = Bulletin()
        bulletin(doc, report, lang)
        doc.close_to(path)

    write_whole(out, write)


def bulletin(doc: Bulletin, report: Any, lang: str) -> None:
    from zhaoshang.render.report import file_columns

    label = report.period.label("zh") if report.period is not None else report.title("zh").removesuffix("成绩单")
    doc.title(TITLES.get(report.kind, "{label}").format(label=label) if lang == "zh" else report.title(lang))
    doc.addressee(addressee(report))
    doc.para(f"现将{label}{'全区' if not report.district else report.district}招商引资工作情况通报如下：")
    doc.heading("一、总体情况")
    for text in report.prose(lang):
        for line in text.split("\n"):
            if line.strip():
                doc.para(line.strip())
    part = 1
    if report.kind == "month":
        part = month_parts(doc, report, lang)
    else:
        part += 1
        doc.heading(f"{NUMERALS[part - 1]}、分项情况")
        for k, s in enumerate(report.sections):
            doc.heading(f"（{NUMERALS[k]}）{s.title(lang)}", 2)
            doc.table(compact(s, file_columns(s)), s.flat_rows(lang), lang, s.flat_total(lang))
            if note := s.note(lang):
                doc.para(note)
        if report.lists:
            part += 1
            doc.heading(f"{NUMERALS[part - 1]}、项目清单")
            for k, s in enumerate(report.lists):
                doc.heading(f"（{NUMERALS[k % 10]}）{s.title(lang)}（{len(s.rows)}个）", 2)
                if s.rows:
                    doc.table(compact(s, file_columns(s)), s.flat_rows(lang), lang)
                else:
                    doc.para("无。")
    part += 1
    doc.heading(f"{NUMERALS[part - 1]}、下步工作要求")
    for text in (report.closing or DEFAULT_CLOSING).split("\n\n"):
        if text.strip():
            doc.para(" ".join(text.split()))
    if report.as_of is not None:
        doc.doc.add_paragraph()
        day = report.as_of
        doc.right(f"{day.year}年{day.month}月{day.day}日")


def compact(section: Any, columns: list[Col]) -> list[Col]:
    """A table's columns on a portrait page: those a terminal shows when it names them."""
    if section.terminal:
        keys = set(section.terminal)
        kept = [c for c in columns if c.key in keys]
        if kept:
            return kept
    return columns


def addressee(report: Any) -> str:
    """主送: the kinds of units the ledger holds accountable."""
    kinds = []
    for s in report.sections:
        if s.key in ("by_unit", "units", "ranking"):
            kinds = [r.get("unit") for r in s.rows]
            break
    words = [w for w, marks in (("各镇街", ("镇", "街道")), ("区直有关部门", ("局", "委", "办")),
                                ("区属国有企业", ("集团", "公司")))
             if any(name and name.endswith(marks) for name in kinds)]
    return "、".join(words or ["各责任单位"]) + "："


def month_parts(doc: Bulletin, report: Any, lang: str) -> int:
    """二、各单位完成情况 and 三、存在问题 of a month's 通报; returns the last part's number."""
    from zhaoshang.render.report import file_columns

    ranking = report.section("ranking")
    by_unit = report.section("by_unit")
    doc.heading("二、各单位完成情况")
    if ranking is not None:
        total = None
        if by_unit is not None and by_unit.total is not None:
            total = {**by_unit.flat_total(lang), "unit": "合计" if lang == "zh" else "Total"}
        cols = [c for c in file_columns(ranking) if c.key not in ("previous_rank", "rank_change")]
        doc.table(cols, ranking.flat_rows(lang), lang, total)
        ranked = [r for r in ranking.rows if r.get("rank") is not None]
        if len(ranked) >= 6:
            top, bottom = ranked[:3], ranked[-3:]
            doc.para(f"排名前三位的单位：{'、'.join(r['unit'] for r in top)}；"
                     f"排名后三位的单位：{'、'.join(r['unit'] for r in bottom)}。")
        if note := ranking.note(lang):
            doc.para(note)
    doc.heading("三、存在问题")
    rows = ranking.rows if ranking is not None else []
    names = [r["unit"] for r in rows]
    values = {r["unit"]: r for r in (by_unit.rows if by_unit is not None else [])}
    label = report.period.label("zh") if report.period is not None else "本期"
    no_sign = [n for n in names if not (values.get(n, {}).get("new_signed") or 0)]
    no_lead = [n for n in names if not (values.get(n, {}).get("new_leads") or 0)]
    doc.heading("（一）新签约项目", 2)
    doc.para(f"{label}无新签约项目的单位{len(no_sign)}个：{'、'.join(no_sign)}。" if no_sign
             else f"{label}各单位均有新签约项目。")
    doc.heading("（二）项目线索", 2)
    doc.para(f"{label}无新增项目线索的单位{len(no_lead)}个：{'、'.join(no_lead)}。" if no_lead
             else f"{label}各单位均有新增项目线索。")
    overdue = next((s for s in report.lists if s.key == "problems_overdue"), None)
    day = report.as_of
    when = f"截至{day.year}年{day.month}月{day.day}日" if day is not None else "截至目前"
    doc.heading("（三）逾期未解决问题", 2)
    if overdue is None or not overdue.rows:
        doc.para(f"{when}，无逾期未解决问题。")
    else:
        doc.para(f"{when}，逾期未解决问题{len(overdue.rows)}个：")
        for k, r in enumerate(overdue.rows, 1):
            doc.para(f"{k}. {r.get('name') or ''}（{r.get('code') or ''}）：{r.get('text') or ''}"
                     f"，责任单位{r.get('owner') or '未明确'}，解决时限{r.get('due_on') or '—'}，"
                     f"已逾期{r.get('days_late') or 0}天。")
    return 3
