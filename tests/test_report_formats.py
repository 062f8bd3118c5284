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
    assert "合计,1,2,1,1,4,45.30,5,225.30,1" in text


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
    from openpyxl import load_workbook

    out = tmp_path / "月通报.xlsx"
    report_district.ok("report", "--month", "--as-of", "2023-06-30", "--format", "xlsx", "--out", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "概要"
    assert wb["概要"]["A1"].value == "月通报 2023年6月"
    assert wb["概要"]["A4"].value.startswith("截至2023年6月30日")
    ws = wb["分单位：2023年6月"]
    assert ws["A1"].value.startswith("月通报 2023年6月 · 分单位")
    assert "统计期 2023-06-01 至 2023-06-30" in ws["A1"].value
    assert ws.freeze_panes == "A3" and ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    header = [c.value for c in ws[2]]
    assert header[:3] == ["责任单位", "主要领导外出", "外出招商"]
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and ws.cell(ws.max_row, 1).font.bold
    assert last[header.index("签约(亿元)")] == pytest.approx(51.30)


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_xlsx_opens_in_libreoffice(report_district: Zs, tmp_path: Path) -> None:
    out = tmp_path / "week.xlsx"
    report_district.ok("report", "--week", "--as-of", "2023-06-30", "--format", "xlsx", "--out", str(out))
    profile = tmp_path / "lo-profile"
    run = subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                          "csv:Text - txt - csv (StarCalc):44,34,76",
                          "--outdir", str(tmp_path / "csv"), str(out)], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    converted = (tmp_path / "csv" / "week.csv").read_text(encoding="utf-8", errors="replace")
    assert "周调度" in converted  # the first sheet: the title and the bulletin paragraphs
