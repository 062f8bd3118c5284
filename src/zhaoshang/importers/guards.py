"""The checks every file passes before a parser sees it: what it really is (whatever its extension),
and nothing that would hurt to read — a zip whose directory promises gigabytes or an extreme
compression ratio, an encrypted (password-protected) workbook, an XML part with a DTD or entity
declarations, a truncated file, or something that is not a spreadsheet at all. Each gives one
BadFile line."""

from __future__ import annotations

import codecs
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

from zhaoshang.errors import BadValue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm"})


# A workbook's parts may expand to at most this much (env ZS_IMPORT_MAX_MB), and no part larger than
# MIN_CHECKED_PART may expand more than MAX_RATIO times: real sheets compress 5-30x, bombs 1000x.
DEFAULT_MAX_MB = 2048


DEFAULT_MAX_FILE_MB = 200


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


def max_file_bytes() -> int:
    """The largest file an import reads (env ZS_IMPORT_MAX_FILE_MB, default 200 MB)."""
    raw = os.environ.get("ZS_IMPORT_MAX_FILE_MB")
    try:
        return int(raw) << 20 if raw and int(raw) > 0 else DEFAULT_MAX_FILE_MB << 20
    except ValueError:
        return DEFAULT_MAX_FILE_MB << 20


def check_path(path: Path) -> int:
    """A regular file of a readable size, checked before it is opened (a FIFO or a device would
    block or never end). Returns its size."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise BadFile(f"文件不存在：{path}") from None
    except (OSError, ValueError) as exc:  # too long a name, a loop of links, a NUL in the path
        raise BadFile(f"无法读取 {path}：{getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise BadFile(f"{path} 是目录，不是文件。")
    if not stat.S_ISREG(st.st_mode):
        raise BadFile(f"{path} 不是普通文件（设备、管道或套接字），拒绝读取。")
    cap = max_file_bytes()
    if st.st_size > cap:
        raise BadFile(f"{path.name} 有 {st.st_size / (1 << 20):,.0f} MB，超过导入文件 {cap >> 20} MB 的上限"
                      "（ZS_IMPORT_MAX_FILE_MB），拒绝读取。")
    if st.st_size == 0:
        raise BadFile(f"{path.name} 是空文件。")
    return st.st_size


def open_regular(path: Path):  # type: ignore[no-untyped-def]
    """Open a file checked by check_path without blocking, and make sure it is still a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BadFile(f"{path} 不是普通文件（设备、管道或套接字），拒绝读取。")
    return os.fdopen(fd, "rb")


def file_digest(path: Path) -> str:
    """SHA-256 of a file checked by check_path ("" when it cannot be read)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        check_path(path)
        with open_regular(path) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (OSError, BadFile):
        return ""
    return digest.hexdigest()


def sniff_kind(path: Path) -> str:
    """What the file really is: xlsx (any OOXML), ods, xls, csv. Raises BadFile otherwise."""
    name = path.name
    check_path(path)
    try:
        with open_regular(path) as fh:
            sample = fh.read(CSV_SNIFF)
    except OSError as exc:
        raise BadFile(f"无法读取 {name}：{exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if sample.startswith(ZIP_MAGIC):
        return _check_zip(path)
    if sample.startswith(OLE_MAGIC):
        return _check_ole(path)
    if sample[:4] == b"PK\x07\x08" or (sample[:2] == b"PK" and suffix in EXCEL_SUFFIXES):
        raise BadFile(f"{name} 已损坏或不完整（zip 结构无效），请重新保存后再导入。")
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or _looks_utf32(sample):
        raise BadFile(f"{name} 的文件编码似为 UTF-32，请另存为 UTF-8 或 GBK 的 CSV 后再导入。")
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


def _looks_utf32(sample: bytes) -> bool:
    """UTF-32 without a BOM: text whose every code unit has two zero bytes."""
    head = sample[: len(sample) // 4 * 4][:4096]
    return len(head) >= 8 and (head[2::4].count(0) == len(head) // 4 == head[3::4].count(0)
                               or head[0::4].count(0) == len(head) // 4 == head[1::4].count(0))


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
        if kind == "xlsx":
            check_sheet_parts(archive, name)
    return kind


def _ods_mimetype(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return True
    try:
        return b"spreadsheet" in archive.read("mimetype")[:200]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return False


def _read_part(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, limit: int, name: str) -> bytes:
    try:
        with archive.open(member) as fh:
            return fh.read(limit)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
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
    with open_regular(path) as fh:
        data = fh.read()  # the file is under the size cap (check_path); read(cap) would reserve the cap
    if marker in data or info_marker in data:
        raise BadFile(f"{path.name} 有密码保护，请先在 Excel 中取消密码再导入。")
    return "xls"


# --------------------------------------------------------------------------- what a sheet's XML asks for
# calamine makes one cell slot for every position between the sheet's first and last cell (32 bytes
# each) and sizes the shared-string table by its declared count: a cell at XFD1048576 or a count that
# lies would ask for gigabytes. Each sheet part is streamed once (which also checks its CRC) and the
# cell references found in it bound the range calamine will build; a sheet over the caps is refused.
MAX_COLUMNS = 1024
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELLS = 24 << 20  # ~770 MB of calamine cells
SCAN_CHUNK = 1 << 20

_SHAPE = bytearray(range(256))
for _c in b"0123456789":
    _SHAPE[_c] = ord("0")
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
    _SHAPE[_c] = ord("A")
SHAPE = bytes(_SHAPE)  # digits -> 0, letters -> A: a reference's shape


def _past_table(col: int) -> bytes:
    """digits -> 0, the letters of columns up to `col` -> A, later ones -> Z."""
    table = bytearray(SHAPE)
    for n in range(col + 1, 27):
        table[64 + n] = table[96 + n] = ord("Z")
    return bytes(table)


_REF = re.compile(rb'\sr="([A-Za-z]{0,12})(\d{1,30})"')


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class SheetShape:
    """The largest column and (bound on the) row any reference of a sheet part names."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.col = 0  # largest column (1-based) seen
        self.digits = 0  # most digits of a row number seen
        self.row = 0  # exact largest row once digits >= 7, else 0
        self._past = _past_table(0)

    def feed(self, chunk: bytes) -> None:
        shape = chunk.translate(SHAPE)
        if b'="AAA0' in shape or b'AAAA0' in shape or b'0000000"' in shape:
            self._exact(chunk)  # three-letter columns or seven-digit rows: rare, read them exactly
        if b'="AA0' in shape:
            for m in re.finditer(rb'="([A-Za-z]{2})\d', chunk):
                self.col = max(self.col, column_number(m.group(1)))
        if b'="Z0' in chunk.translate(self._past):  # a one-letter column past the widest seen so far
            for m in re.finditer(rb'="([A-Za-z])\d', chunk):
                self.col = max(self.col, column_number(m.group(1)))
            self._past = _past_table(self.col)
        for d in range(6, self.digits, -1):
            if b"0" * d + b'"' in shape:
                self.digits = d
                break

    def _exact(self, chunk: bytes) -> None:
        for m in _REF.finditer(chunk):
            letters, digits = m.groups()
            if len(letters) > 3 or len(digits) > 7:
                raise _Beyond(m.group(0).strip().decode("ascii", "replace"))
            if letters:
                self.col = max(self.col, column_number(letters))
            if len(digits) >= 7:
                self.digits = 7
                self.row = max(self.row, int(digits))

    def rows_bound(self) -> int:
        if self.digits >= 7:
            return self.row
        return 10 ** self.digits - 1


class _Beyond(Exception):
    pass


def check_sheet_parts(archive: zipfile.ZipFile, name: str) -> None:
    """Stream every worksheet part and refuse one whose references would size a range past the caps;
    refuse a shared-string table whose declared count its size cannot hold."""
    for info in archive.infolist():
        fname = info.filename
        if fname.endswith("sharedStrings.xml"):
            _check_shared_strings(archive, info, name)
            continue
        if not (fname.startswith("xl/worksheets/") and fname.endswith(".xml")):
            continue
        sheet = SheetShape(fname)
        tail = b""
        try:
            with archive.open(info) as fh:
                while chunk := fh.read(SCAN_CHUNK):
                    sheet.feed(tail + chunk)
                    tail = chunk[-24:]
        except _Beyond as ref:
            raise BadFile(f"{name} 的 {fname} 有超出 Excel 范围的单元格引用（{ref}），拒绝读取。") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise BadFile(f"{name} 已损坏或不完整（{fname}：{_short(exc)}），请重新保存后再导入。") from None
        rows, cols = sheet.rows_bound(), sheet.col
        if cols > MAX_COLUMNS:
            raise BadFile(f"{name} 的 {fname} 用到第 {cols:,} 列（{_col_letters(cols)}），"
                          f"超过 {MAX_COLUMNS:,} 列的上限，拒绝读取。", "请删去多余的列后再导入。")
        if rows * max(cols, 1) > MAX_CELLS:
            rows = _exact_rows(archive, info, name)
            if rows * max(cols, 1) > MAX_CELLS:
                raise BadFile(f"{name} 的 {fname} 用到 A1:{_col_letters(cols)}{rows}（{rows:,} 行 × {cols:,} 列），"
                              f"超过 {MAX_CELLS:,} 个单元格的上限，拒绝读取。", "请删去多余的行、列后再导入。")


def _exact_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> int:
    top = 0
    tail = b""
    with archive.open(info) as fh:
        while chunk := fh.read(SCAN_CHUNK):
            for m in _REF.finditer(tail + chunk):
                top = max(top, int(m.group(2)))
            tail = chunk[-24:]
    return top


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    head = _read_part(archive, info, 4096, name)
    root = re.search(rb"<(?:\w+:)?sst\b([^>]*)>", head)
    for m in re.finditer(rb'\b(?:count|uniqueCount)="(\d+)"', root.group(1) if root else b""):
        if int(m.group(1)) > info.file_size // 5 + 16:  # <si/> is the shortest entry
            raise BadFile(f"{name} 的共享字符串表声明了 {int(m.group(1)):,} 项，而内容装不下这么多（文件已损坏），"
                          "拒绝读取。")


def _col_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return text
