"""Files that are not what they claim: one clear line, exit 1, no traceback, the ledger as it was
(apart from the record of a failed import)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Zs, dump
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
