"""The checks every file passes before a parser sees it: what it really is (whatever its extension),
and nothing that would hurt to read — a zip whose directory promises gigabytes or an extreme
compression ratio, an encrypted (password-protected) workbook, an XML part with a DTD or entity
declarations, a truncated file, or something that is not a spreadsheet at all. Each gives one
BadFile line."""

from __future__ import annotations

import codecs
import os
import re
import zipfile
from pathlib import Path

from zhaoshang.errors import BadValue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm"})


# A workbook's parts may expand to at most this much (env ZS_IMPORT_MAX_MB), and no part larger than
# MIN_CHECKED_PART may expand more than MAX_RATIO times: real sheets compress 5-30x, bombs 1000x.
DEFAULT_MAX_MB = 2048


MAX_RATIO = 150


MIN_CHECKED_PART = 4 << 20


PROLOG_LIMIT = 64 << 10


CSV_SNIFF = 64 << 10


class BadFile(BadValue):
    """The file is not a spreadsheet we can read safely."""


def max_bytes() -> int:
    raw = os.environ.get("ZS_IMPORT_MAX_MB")
    try:
        return int(raw) << 20 if raw else DEFAULT_MAX_MB << 20
    except ValueError:
        return DEFAULT_MAX_MB << 20


def sniff_kind(path: Path) -> str:
    """What the file really is: xlsx (any OOXML), ods, xls, csv. Raises BadFile otherwise."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            sample = fh.read(CSV_SNIFF)
    except FileNotFoundError:
        raise BadFile(f"文件不存在：{path}") from None
    except IsADirectoryError:
        raise BadFile(f"{path} 是目录，不是文件。") from None
    except OSError as exc:
        raise BadFile(f"无法读取 {name}：{exc.strerror or exc}") from None
    if size == 0:
        raise BadFile(f"{name} 是空文件。")
    suffix = path.suffix.lower()
    if sample.startswith(ZIP_MAGIC):
        return _check_zip(path)
    if sample.startswith(OLE_MAGIC):
        return _check_ole(path)
    if sample[:4] == b"PK\x07\x08" or (sample[:2] == b"PK" and suffix in EXCEL_SUFFIXES):
        raise BadFile(f"{name} 已损坏或不完整（zip 结构无效），请重新保存后再导入。")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"  # Excel's "Unicode text": UTF-16, tab-separated
    if b"\x00" in sample:
        raise BadFile(f"{name} 不是电子表格文件（xlsx、xls、ods 或 csv）。")
    text = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<table" in text[:4096]:
        raise BadFile(f"{name} 是网页（HTML/XML）而不是工作簿，请在 Excel 中另存为 .xlsx 后再导入。")
    if suffix in EXCEL_SUFFIXES:
        raise BadFile(f"{name} 的扩展名是 {suffix}，但内容不是 Excel/ODS 工作簿。")
    return "csv"


def _check_zip(path: Path) -> str:
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise BadFile(f"{name} 已损坏或不完整（zip 结构无效），请重新保存后再导入。") from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            kind = "xlsx"
        elif "content.xml" in names and _ods_mimetype(archive, names):
            kind = "ods"
        else:
            raise BadFile(f"{name} 是 zip 压缩包，但里面没有工作簿（不是 xlsx 或 ods）。")
        total = 0
        cap = max_bytes()
        for info in infos:
            if info.flag_bits & 0x1:
                raise BadFile(f"{name} 有密码保护，请先在 Excel 中取消密码再导入。")
            total += info.file_size
            if info.file_size > MIN_CHECKED_PART and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BadFile(f"{name} 疑似压缩炸弹：{info.filename} 从 {info.compress_size:,} 字节解压为 "
                              f"{info.file_size:,} 字节，拒绝读取。")
            if total > cap:
                raise BadFile(f"{name} 解压后超过 {cap >> 20} MB（ZS_IMPORT_MAX_MB），拒绝读取。")
        if kind == "ods" and "META-INF/manifest.xml" in names:
            manifest = _read_part(archive, "META-INF/manifest.xml", PROLOG_LIMIT * 4, name)
            if b"encryption-data" in manifest:
                raise BadFile(f"{name} 有密码保护，请先取消密码再导入。")
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_prolog(archive, info, name)
    return kind


def _ods_mimetype(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return True
    try:
        return b"spreadsheet" in archive.read("mimetype")[:200]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False


def _read_part(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, limit: int, name: str) -> bytes:
    try:
        with archive.open(member) as fh:
            return fh.read(limit)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        if "password" in str(exc).lower() or "encrypted" in str(exc).lower():
            raise BadFile(f"{name} 有密码保护，请先在 Excel 中取消密码再导入。") from None
        raise BadFile(f"{name} 已损坏或不完整，请重新保存后再导入。") from None


_ROOT = re.compile(rb"<[A-Za-z_]")


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """A DTD may only sit before the root element: read the part's head up to it and refuse any
    <!DOCTYPE or <!ENTITY (entity expansion tricks, external entities)."""
    head = _read_part(archive, info, PROLOG_LIMIT, name)
    root = _ROOT.search(head)
    prolog = head[: root.start()] if root else head
    upper = prolog.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise BadFile(f"{name} 的 {info.filename} 含有 DTD/实体声明（XML 实体攻击），拒绝读取。")
    if root is None and len(head) >= PROLOG_LIMIT:
        raise BadFile(f"{name} 的 {info.filename} 结构异常（找不到 XML 根元素），拒绝读取。")


def _check_ole(path: Path) -> str:
    """An OLE (compound) file is either a legacy .xls or an encrypted OOXML workbook."""
    marker = "EncryptedPackage".encode("utf-16-le")
    info_marker = "EncryptionInfo".encode("utf-16-le")
    with path.open("rb") as fh:
        data = fh.read(max_bytes())
    if marker in data or info_marker in data:
        raise BadFile(f"{path.name} 有密码保护，请先在 Excel 中取消密码再导入。")
    return "xls"
