"""Files that are not what they claim: one clear line, exit 1, no traceback, the ledger as it was
(apart from the record of a failed import)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, Zs, dump
from sheets import xlsx
from zhaoshang.config import database_url
from zhaoshang.db.engine import connect


def good(tmp_path: Path) -> bytes:
    path = xlsx(tmp_path / "good.xlsx", {"Sheet1": [["项目名称", "投资方", "总投资"], ["甲项目", "甲公司", 1]]})
    return path.read_bytes()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info.filename) for info in zf.infolist()}


def png(tmp: Path) -> tuple[str, bytes]:
    return "台账.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def truncated(tmp: Path) -> tuple[str, bytes]:
    data = good(tmp)
    return "台账.xlsx", data[: len(data) // 2]


def encrypted(tmp: Path) -> tuple[str, bytes]:
    """What Excel writes for a password: an OLE compound file holding EncryptionInfo and EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\x00")
    directory += "EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    return "台账.xlsx", header + directory + b"\x00" * 2048


def bomb(tmp: Path) -> tuple[str, bytes]:
    parts = parts_of(good(tmp))
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData>" + b"<row/>" * 2_000_000 + b"</sheetData></worksheet>"
    return "台账.xlsx", zip_of(parts)


def entities(tmp: Path) -> tuple[str, bytes]:
    parts = parts_of(good(tmp))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    head, rest = sheet.split("?>", 1) if sheet.startswith("<?xml") else ("", sheet)
    parts["xl/worksheets/sheet1.xml"] = ((head + "?>" if head else "") + lol + rest).encode()
    return "台账.xlsx", zip_of(parts)


def not_a_workbook_zip(tmp: Path) -> tuple[str, bytes]:
    return "台账.xlsx", zip_of({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})


def html_as_xls(tmp: Path) -> tuple[str, bytes]:
    return "导出.xls", "<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode()


def empty(tmp: Path) -> tuple[str, bytes]:
    return "台账.csv", b""


def undecodable_csv(tmp: Path) -> tuple[str, bytes]:
    return "台账.csv", "项目名称,投资方\n".encode("gbk") + b"\x80\x80\xff\xff,\xff\n"


CASES: dict[str, tuple[Callable[[Path], tuple[str, bytes]], str]] = {
    "not a spreadsheet": (png, "不是电子表格文件"),
    "truncated": (truncated, "已损坏或不完整"),
    "password-protected": (encrypted, "有密码保护"),
    "decompression bomb": (bomb, "疑似压缩炸弹"),
    "XML entities": (entities, "DTD/实体声明"),
    "a zip that is no workbook": (not_a_workbook_zip, "里面没有工作簿"),
    "HTML saved as .xls": (html_as_xls, "是网页（HTML/XML）而不是工作簿"),
    "empty": (empty, "是空文件"),
    "undecodable CSV": (undecodable_csv, "编码无法识别"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file(zs: Zs, ledger: str, tmp_path: Path, case: str) -> None:
    make, message = CASES[case]
    name, data = make(tmp_path)
    path = tmp_path / name
    path.write_bytes(data)
    before = dump(ledger, skip=("import_batch",))
    run = zs("import", str(path))
    assert run.code == 1, run
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and name in lines[0], run
    assert "Traceback" not in run.err and run.out == ""
    assert dump(ledger, skip=("import_batch",)) == before
    with connect(database_url(ledger)) as conn:
        assert conn.exec_driver_sql("SELECT file_name, status FROM import_batch").all() == [(name, "failed")]


def test_a_workbook_larger_than_the_cap_is_refused(zs: Zs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZS_IMPORT_MAX_MB", "1")
    parts = parts_of(good(tmp_path))
    parts["xl/sharedStrings2.xml"] = bytes(range(256)) * 8000  # 2 MB that does not compress much
    path = tmp_path / "大.xlsx"
    path.write_bytes(zip_of(parts))
    run = zs("import", str(path))
    assert run.code == 1 and "解压后超过 1 MB" in run.err


def test_a_missing_file(zs: Zs, tmp_path: Path) -> None:
    run = zs("import", str(tmp_path / "没有.xlsx"))
    assert run.code == 1 and "文件不存在" in run.err and "Traceback" not in run.err


# --------------------------------------------------------------------------- what a hostile user brought


def sheet_book(cells: str, extra: dict[str, bytes] | None = None, sheet: str = "Sheet1") -> bytes:
    """A workbook whose one sheet's <sheetData> is `cells` (raw XML), with a date style (s="1")."""
    parts = parts_of(xlsx_bytes())
    parts["xl/worksheets/sheet1.xml"] = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{cells}</sheetData></worksheet>").encode()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'name="Sheet1"', f'name="{sheet}"'.encode())
    parts.update(extra or {})
    return zip_of(parts)


def xlsx_bytes() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = xlsx(Path(tmp) / "t.xlsx", {"Sheet1": [["项目名称", "投资方", "总投资", "签约时间"],
                                                      ["甲项目", "甲公司", 1, dt.date(2023, 6, 1)]]})
        return path.read_bytes()


def s(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEAD = f'<row r="1">{s("A1", "项目名称")}{s("B1", "投资方")}{s("C1", "总投资")}{s("D1", "签约时间")}</row>'


def row2(amount: str = "<v>1</v>", date: str = "") -> str:
    return f'<row r="2">{s("A2", "甲项目")}{s("B2", "甲公司")}<c r="C2">{amount}</c>{date}</row>'


def refused(zs: Zs, ledger: str, path: Path, message: str) -> Run:
    before = dump(ledger, skip=("import_batch",))
    run = zs("import", str(path))
    lines = run.err.strip().splitlines()
    assert run.code == 1 and len(lines) == 1 and message in lines[0], run
    assert "Traceback" not in run.err and "内部错误" not in run.err
    assert dump(ledger, skip=("import_batch",)) == before
    return run


def flipped_member(tmp: Path) -> bytes:
    data = good(tmp)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    flipped = bytearray(data)
    flipped[start + info.compress_size // 2] ^= 0x10
    return bytes(flipped)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("case", "message"), [
    ("a flipped bit in a compressed member", "已损坏或不完整"),
    ("a cell reference past column XFD", "超出 Excel 范围的单元格引用（r=\"ZZZZZ5\"）"),
    ("a row number past Excel's last row", "超出 Excel 范围的单元格引用"),
    ("one value at XFD1048576", "超过 1,024 列的上限"),
    ("a shared-string count that lies", "共享字符串表声明了 4,000,000,000 项"),
    ("a date cell holding -1e308", "无法读取 台账.xlsx"),
])
def test_a_reader_failure_is_one_line(zs: Zs, ledger: str, tmp_path: Path, case: str, message: str) -> None:
    data = {
        "a flipped bit in a compressed member": lambda: flipped_member(tmp_path),
        "a cell reference past column XFD": lambda: sheet_book(
            HEAD + row2() + '<row r="5"><c r="ZZZZZ5"><v>1</v></c></row>'),
        "a row number past Excel's last row": lambda: sheet_book(HEAD + row2().replace(
            "</row>", '<c r="B99999999999999999999"><v>1</v></c></row>')),
        "one value at XFD1048576": lambda: sheet_book(
            HEAD + row2() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
        "a shared-string count that lies": lambda: sheet_book(HEAD + row2(), {"xl/sharedStrings.xml": (
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>')}),
        "a date cell holding -1e308": lambda: sheet_book(HEAD + row2(date='<c r="D2" s="1"><v>-1e308</v></c>')),
    }[case]()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(data)
    refused(zs, ledger, path, message)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom", "directory"])
def test_a_path_that_is_not_a_file_is_refused_before_it_is_read(zs: Zs, ledger: str, tmp_path: Path,
                                                                kind: str) -> None:
    import os

    path = tmp_path / "台账.xlsx"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path = Path(kind)
    refused(zs, ledger, path, "是目录" if kind == "directory" else "不是普通文件")


@pytest.mark.sqlite_only
def test_a_file_over_the_size_cap_is_refused_unread(zs: Zs, ledger: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZS_IMPORT_MAX_FILE_MB", "1")
    path = tmp_path / "大.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 300_000)
    refused(zs, ledger, path, "超过导入文件 1 MB 的上限")


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("amount", "reason"), [
    ("<v>1E+308</v>", "大得不像金额"),
    ('<is><t>INF</t></is>', "不是数字"),
    ("<is><t>" + "9" * 400 + "</t></is>", "大得不像金额"),
])
def test_an_extreme_amount_is_a_row_error(zs: Zs, tmp_path: Path, amount: str, reason: str) -> None:
    path = tmp_path / "台账.xlsx"
    xml = HEAD + row2(amount=amount)
    if not amount.startswith("<v>"):
        xml = xml.replace('<c r="C2">', '<c r="C2" t="inlineStr">')
    path.write_bytes(sheet_book(xml))
    run = zs("import", str(path))
    assert run.code == 1 and "台账.xlsx:Sheet1!C2" in run.err and reason in run.err, run
    assert "Traceback" not in run.err and len(run.err) < 2000


def test_a_huge_count_in_the_units_sheet_is_a_row_error(zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "单位.xlsx", {"责任单位": [["单位名称", "类别", "排序"], ["甲局", "部门", 10**30],
                                                   ["乙局", "部门", "99999999999999999999"]]})
    run = zs("import", str(path))
    assert run.code == 1 and "单位.xlsx:责任单位!C2" in run.err and "单位.xlsx:责任单位!C3" in run.err, run
    assert zs("units", "list").code == 0  # the transaction was not left closed


@pytest.mark.sqlite_only
def test_errors_into_a_missing_directory_is_a_usage_error_before_anything_is_written(
        zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "台账.xlsx", {"Sheet1": [["项目名称", "投资方", "总投资"], ["甲项目", "甲公司", "很多"],
                                                  ["乙项目", "乙公司", 1]]})
    before = dump(ledger)
    run = zs("import", str(path), "--errors", str(tmp_path / "没有" / "错误.xlsx"))
    assert run.code == 2 and "--errors" in run.err and "目录不存在" in run.err and len(run.err.splitlines()) == 1, run
    assert dump(ledger) == before


@pytest.mark.sqlite_only
def test_an_unbalanced_quote_is_refused_naming_the_line_it_opened_on(zs: Zs, ledger: str, tmp_path: Path) -> None:
    lines = ["项目名称,投资方,总投资"] + [f"项目{i},公司{i},{i}" for i in range(60)]
    lines[31] = '"' + lines[31]
    path = tmp_path / "台账.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(zs, ledger, path, "第 32 行的引号没有配对")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("brk", ["\u2028", "\x85"])
def test_lines_ending_in_u2028_or_nel_are_lines(zs: Zs, tmp_path: Path, brk: str) -> None:
    path = tmp_path / "台账.csv"
    text = brk.join(["项目名称,投资方,总投资（亿元）", "甲项目,甲公司,1", "乙项目,乙公司,2"]) + brk
    path.write_text(text, encoding="utf-8")
    report = zs.json("import", str(path))
    assert report["inserted"] == 2 and report["sheets"][0]["lines"] == 2


@pytest.mark.sqlite_only
def test_a_line_longer_than_the_cap_is_refused(zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text("项目名称,投资方\n" + "名" * 1_100_000 + ",甲公司\n", encoding="utf-8")
    refused(zs, ledger, path, "第 2 行超过 1,048,576 个字符")


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("encoding", "named"), [("big5", "Big5"), ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32")])
def test_an_encoding_zs_cannot_read_is_named(zs: Zs, ledger: str, tmp_path: Path, encoding: str, named: str) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes("項目名稱,投資方,總投資\n臺北項目,臺灣公司,1\n".encode(encoding))
    refused(zs, ledger, path, f"文件编码似为 {named}")


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("cell", "reason"), [
    ('<c r="D2" s="1"><v>NaN</v></c>', "年份不合理"),
    ('<c r="D2" t="d"><v>0001-01-01T00:00:00</v></c>', "年份不合理"),  # a typed date 0001-01-01
    ('<c r="D2" s="1"><v>0</v></c>', "不是日期"),  # 1899-12-30 00:00, which calamine gives as a time
])
def test_a_date_cell_outside_the_ledgers_years_is_a_row_error(zs: Zs, tmp_path: Path, cell: str, reason: str) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(sheet_book(HEAD + row2(date=cell)))
    run = zs("import", str(path))
    assert run.code == 1 and "台账.xlsx:Sheet1!D2" in run.err and reason in run.err, run
    assert zs.json("projects", "list") == [] or all(p["stage"] != "signed" for p in zs.json("projects", "list"))


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("name", "investor", "reason"), [
    ("甲\x1b项目", "甲公司", "控制字符（U+001B）"),
    ("甲项目", "\u202e司公甲", "控制字符（U+202E）"),
    ("名" * 300, "甲公司", "项目名称太长（300 字"),
])
def test_control_characters_and_overlong_names_are_row_errors(zs: Zs, tmp_path: Path, name: str, investor: str,
                                                              reason: str) -> None:
    path = tmp_path / "台账.csv"
    path.write_text(f"项目编号,项目名称,投资方\nA-1,{name},{investor}\n", encoding="utf-8")
    run = zs("import", str(path))
    assert run.code == 1 and reason in run.err and "\x1b" not in run.err and "\u202e" not in run.err, run
    assert len(run.err) < 2000
    run = zs("add-project", name, "--investor", investor)
    assert run.code == 1 and reason in run.err, run


@pytest.mark.sqlite_only
def test_an_unexpected_error_is_one_line_naming_where_the_details_went(
        zs: Zs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zhaoshang.services.imports as imports

    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "import_file", broken)
    path = xlsx(tmp_path / "台账.xlsx", {"Sheet1": [["项目名称"], ["甲项目"]]})
    run = zs("import", str(path))
    lines = run.err.strip().splitlines()
    assert run.code == 1 and len(lines) == 1 and "内部错误" in lines[0] and "RuntimeError" in lines[0], run
    where = Path(lines[0].split("详情已写入 ", 1)[1].split("（", 1)[0])
    details = where.read_text(encoding="utf-8")
    assert ("boom" in details and "sha256 " in details) or "argv" in details
    where.unlink()
    run = zs("import", str(path), env={"ZS_DEBUG": "1"})
    assert "Traceback" in run.err and "RuntimeError: boom" in run.err


def test_a_sqlite_url_with_a_query_names_the_file(tmp_path: Path) -> None:
    from conftest import Zs as Runner

    run = Runner(f"sqlite:///{tmp_path}/没有.db?timeout=5")("projects", "list")
    assert run.code == 1 and f"账本文件不存在：{tmp_path}/没有.db" in run.err and "?timeout" not in run.err, run
    run = Runner("postgresql://:::bad")("projects", "list")
    assert run.code == 1 and "账本地址" in run.err and "Traceback" not in run.err, run


@pytest.mark.sqlite_only
def test_a_note_over_several_lines_in_one_quoted_cell_is_not_a_broken_quote(zs: Zs, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text('项目名称,投资方,本周进展\n甲项目,甲公司,"1、完成签约,落地\n2、开工, 进场,施工"\n'
                    "乙项目,乙公司,推进\n", encoding="utf-8")
    report = zs.json("import", str(path))
    assert report["inserted"] == 2 and report["sheets"][0]["lines"] == 2


@pytest.mark.sqlite_only
def test_a_legacy_workbook_is_checked_within_an_address_space_limit(ledger: str, tmp_path: Path) -> None:
    """The OLE check reads the file, not a buffer the size of the expansion cap (which an address-space
    limit refuses with a MemoryError)."""
    import resource
    import subprocess
    import sys

    path = tmp_path / "台账.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    run = subprocess.run([sys.executable, "-m", "zhaoshang", "--db", ledger, "import", str(path)],
                         capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert run.returncode == 1 and "无法读取 台账.xls" in run.stderr and "内部错误" not in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


LEGACY = Path(__file__).parent / "fixtures" / "libreoffice.xls"


def flipped(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0xFF
    return bytes(out)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("case", "make"), [
    ("cut inside the directory sector", lambda data: data[:1024]),
    ("cut inside the workbook stream (calamine panics)", lambda data: data[:5120]),
    ("cut near the end (calamine panics)", lambda data: data[:5696]),
    ("a flipped byte in a sheet's offset (calamine panics)", lambda data: flipped(data, 3136)),
])
def test_a_truncated_or_flipped_legacy_workbook_is_one_line(zs: Zs, ledger: str, tmp_path: Path, case: str,
                                                           make: Callable[[bytes], bytes]) -> None:
    """A .xls written by LibreOffice, cut short or with one byte of its OLE body flipped: calamine
    raises or panics (a BaseException) inside its reader; the clerk sees one line."""
    path = tmp_path / "台账.xls"
    path.write_bytes(make(LEGACY.read_bytes()))
    run = refused(zs, ledger, path, "无法读取 台账.xls")
    assert "panicked" not in run.err and "RUST_BACKTRACE" not in run.err


def declared_dimensions(rows: int, cols: int) -> bytes:
    """The fixture with its sheet's DIMENSIONS record (0x0200) declaring rows × cols: calamine reserves
    that many cells when it opens the file."""
    import struct

    data = bytearray(LEGACY.read_bytes())
    at = data.find(b"\x00\x02\x0e\x00")
    assert at > 0 and struct.unpack_from("<IIHH", data, at + 4) == (0, 8, 0, 9)
    struct.pack_into("<IIHH", data, at + 4, 0, rows, 0, cols)
    return bytes(data)


def repeated_ods(columns: int, rows: int) -> bytes:
    """The .ods fixture with its second row's one cell repeated `columns` times and the row `rows` times."""
    buf = io.BytesIO()
    with zipfile.ZipFile(Path(__file__).parent / "fixtures" / "libreoffice.ods") as src, \
            zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "content.xml":
                cell = '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>单位：万元'
                assert data.decode().count(cell) == 1
                repeat = f'table:number-columns-repeated="{columns}" '
                wide = cell.replace("<table:table-cell ", "<table:table-cell " + repeat)
                data = data.decode().replace(
                    '<table:table-row table:style-name="ro1">' + cell,
                    f'<table:table-row table:style-name="ro1" table:number-rows-repeated="{rows}">' + wide,
                ).encode()
            out.writestr(info, data)
    return buf.getvalue()


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("name", "make"), [
    ("台账.xls", lambda: declared_dimensions(1_000_000, 16_384)),
    ("台账.ods", lambda: repeated_ods(100, 900_000)),  # under calamine's own cap of 100,000,000 cells
])
def test_what_a_legacy_or_ods_workbook_declares_never_sizes_this_process(
        ledger: str, tmp_path: Path, name: str, make: Callable[[], bytes]) -> None:
    """calamine reads a .xls or .ods whole on opening, sizing it by what the file declares (a DIMENSIONS
    record, repeated cells and rows): the file is opened first by a limited interpreter, and refused in
    one line when that cannot finish — zs itself runs here under an address-space limit it would pass
    reading the declared sizes."""
    import resource
    import subprocess
    import sys

    path = tmp_path / name
    path.write_bytes(make())
    before = dump(ledger, skip=("import_batch",))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    run = subprocess.run([sys.executable, "-m", "zhaoshang", "--db", ledger, "import", str(path)],
                         capture_output=True, text=True, preexec_fn=limit, timeout=300)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1, run.stderr
    assert f"{name} 无法在 768 MB 内存、120 秒内打开" in lines[0] and "另存为 .xlsx" in lines[0], run.stderr
    assert dump(ledger, skip=("import_batch",)) == before


@pytest.mark.sqlite_only
def test_a_legacy_sheet_wider_than_the_cap_is_refused_before_it_is_read(zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "台账.xls"
    """One flipped bit in a cell record's column (D4 at column 32,772): calamine would build every row
    that wide."""
    data = LEGACY.read_bytes()
    rk_d4 = b"\x7e\x02\x0a\x00\x03\x00\x03\x00"  # an RK record (0x027E) at row 3, column 3
    assert data.count(rk_d4) == 1
    path = tmp_path / "台账.xls"
    path.write_bytes(data.replace(rk_d4, rk_d4[:6] + b"\x03\x80"))
    refused(zs, ledger, path, "台账.xls 的工作表“签约项目”用到 A1:AVLL8（8 行 × 32,772 列），超过 1,024 列")
