"""Every format of a report: golden files for table, md, json and text; a workbook LibreOffice opens;
a self-contained html page; csv with a BOM.

Regenerate the golden files after a deliberate change of output:
    ZS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_formats.py
and review the diff (git diff tests/golden) before committing it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Zs

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "week.txt": ("report", "--week", "--as-of", "2023-06-30"),
    "week.md": ("report", "--week", "--as-of", "2023-06-30", "--format", "md"),
    "week.json": ("report", "--week", "--as-of", "2023-06-30", "--format", "json"),
    "week.prose.txt": ("report", "--week", "--as-of", "2023-06-30", "--format", "text"),
    "month.txt": ("report", "--month", "--as-of", "2023-06-30"),
    "month.json": ("report", "--month", "--as-of", "2023-06-30", "--format", "json"),
    "quarter.md": ("report", "--quarter", "--as-of", "2023-06-30", "--format", "md"),
    "year.txt": ("report", "--year", "--as-of", "2023-12-31"),
    "year.prose.txt": ("report", "--year", "--as-of", "2023-12-31", "--format", "text"),
    "funnel.txt": ("report", "--funnel", "--as-of", "2023-07-31"),
    "cohort.txt": ("report", "--cohort", "--signed-on", "2023-06-26", "--as-of", "2023-07-23"),
    "scorecard.txt": ("scorecard", "--as-of", "2023-07-23"),
    "scorecard.json": ("scorecard", "--as-of", "2023-07-23", "--format", "json"),
    "scorecard.en.txt": ("--lang", "en", "scorecard", "--as-of", "2023-07-23"),
    "explain.txt": ("scorecard", "--as-of", "2023-07-23", "--explain", "区工信局"),
    "week.en.txt": ("--lang", "en", "report", "--week", "--as-of", "2023-06-30"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_golden(report_district: Zs, name: str) -> None:
    out = report_district.ok(*CASES[name]).out
    path = GOLDEN / name
    if os.environ.get("ZS_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with ZS_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8")


def test_csv_has_every_section_and_a_bom(report_district: Zs, tmp_path: Path) -> None:
    out = tmp_path / "week.csv"
    report_district.ok("report", "--week", "--as-of", "2023-06-30", "--format", "csv", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "分单位：2023年第26周（6月26日至7月2日）" in text
    assert "新签约项目" in text and "签约未开工项目（停滞）" in text
    assert "责任单位,主要领导外出,外出招商,项目线索" in text  # one-line headers in files
    assert "合计,1,2,1,1,4,45.30,1200,5,225.30,1" in text  # the week holds a 外资 signing: its column shows


@pytest.mark.parametrize("args", [
    ("report", "--week", "--as-of", "2023-06-30"),
    ("report", "--month", "--as-of", "2023-06-30"),
    ("scorecard", "--as-of", "2023-07-23"),
])
def test_html_is_self_contained(report_district: Zs, tmp_path: Path, args: tuple[str, ...]) -> None:
    out = tmp_path / "report.html"
    report_district.ok(*args, "--format", "html", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\b", page, re.I) and "@import" not in page
    assert "url(" not in page and "<link" not in page
    assert "<svg" in page and "时间进度" in page  # the progress chart, inline


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_xlsx_is_a_printable_workbook(report_district: Zs, tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    out = tmp_path / "月通报.xlsx"
    report_district.ok("report", "--month", "--as-of", "2023-06-30", "--format", "xlsx", "--out", str(out))
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()  # as any other file the clerk writes
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "概要"
    assert wb["概要"]["A1"].value == "月通报 2023年6月"
    assert wb["概要"]["A4"].value.startswith("截至2023年6月30日")
    assert all(len(name) <= 31 and "（" not in name for name in wb.sheetnames)  # short names, never cut mid-bracket
    ws = wb["分单位 2023年6月"]
    assert ws["A1"].value == "月通报 2023年6月：分单位"  # the window once, in the subtitle
    assert "统计期 2023-06-01 至 2023-06-30，截至 2023-06-30" in ws["A2"].value
    assert ws.freeze_panes == "A4" and ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$3:$3" and "&P" in ws.oddFooter.center.text
    header = [c.value for c in ws[3]]
    assert header[:3] == ["责任单位", "主要领导外出", "外出招商"]
    unit = next(c.value for c in ws[2] if c.value and str(c.value).startswith("单位："))
    assert unit == "单位：亿元、外资万美元"  # the month holds a 外资 signing
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and ws.cell(ws.max_row, 1).font.bold
    assert last[header.index("签约(亿元)")] == pytest.approx(51.30)
    assert ws.cell(ws.max_row, header.index("签约(亿元)") + 1).number_format == "#,##0.00"
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            assert cell.font.name == "宋体" and cell.border.left.style == "thin"
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # a table that fits on a page is kept whole
    signed = wb["新签约项目"]
    header = [c.value for c in signed[3]]
    assert isinstance(signed.cell(4, header.index("签约时间") + 1).value, dt.datetime)  # dates are dates
    quiet = tmp_path / "quiet.xlsx"  # a week with nothing in it: its lists say 无
    report_district.ok("report", "--week", "--as-of", "2023-01-04", "--format", "xlsx", "--out", str(quiet))
    empty = [ws for ws in load_workbook(quiet).worksheets if str(ws["A1"].value).endswith("（0）")]
    assert empty and all(ws["A4"].value == "无" for ws in empty)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.sqlite_only
@pytest.mark.skipif(_soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed")
def test_every_document_prints_in_libreoffice(report_district: Zs, tmp_path: Path) -> None:
    """Every workbook and Word bulletin converts to PDF in LibreOffice (one soffice run for all), and
    the PDF's text has the title, the district, the 合计 row and the figures of the report's JSON."""
    from zhaoshang.vocabulary.amounts import format_yi
    from zhaoshang.vocabulary.figures import half_up, percent

    zs = report_district
    zs.ok("settings", "district", "测试区")
    week, month, card = (("report", "--week", "--as-of", "2023-06-30"), ("report", "--month", "--as-of", "2023-06-30"),
                         ("scorecard", "--as-of", "2023-07-23"))
    docs = {"week-book.xlsx": week, "month-book.xlsx": month, "card-book.xlsx": card, "week-word.docx": week,
            "month-word.docx": month, "card-word.docx": card}
    for name, args in docs.items():
        zs.ok(*args, "--out", str(tmp_path / name))
    zs.ok("export", str(tmp_path / "ledger.xlsx"))
    files = [*docs, "ledger.xlsx"]
    run = subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                          *(str(tmp_path / f) for f in files)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr

    def text(name: str) -> str:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.exists(), (name, run.stdout, run.stderr)
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        return out.stdout

    def figures(shown: str) -> set[str]:
        return set(re.findall(r"\d[\d,]*(?:\.\d+)?%?", shown))

    def squeezed(shown: str) -> str:
        return re.sub(r"\s+", "", shown)

    def totals(data: dict) -> set[str]:
        t = data["totals"]
        return {str(t["new_signed"]), format_yi(t["new_signed_wan"]), str(t["new_started"]),
                format_yi(t["new_started_wan"])}

    def scores(data: dict) -> set[str]:
        return {v for u in data["units"] if u["score"] is not None
                for v in (half_up(u["score"], 2, 2), percent(u["progress"]))}

    titles = {"week-book": "周调度2023年第26周", "month-book": "月通报2023年6月", "card-book": "百日会战成绩单",
              "week-word": "关于2023年第26周（6月26日至7月2日）招商引资工作调度情况的通报",
              "month-word": "关于2023年6月招商引资工作情况的通报", "card-word": "关于百日会战进展情况的通报"}
    for name, args in docs.items():
        stem = Path(name).stem
        shown = text(name)
        assert titles[stem] in squeezed(shown), name
        assert "测试区" in shown, name
        assert "合计" in shown or stem.startswith("card"), name
        wanted = scores if stem.startswith("card") else totals
        need = wanted(zs.json(*args))  # the figures of the same report's JSON
        assert need <= figures(shown), (name, need - figures(shown))
    ledger = text("ledger.xlsx")
    assert "测试区招商引资项目台账" in squeezed(ledger) and "中环智能制造产业园" in ledger and "60.00" in ledger
