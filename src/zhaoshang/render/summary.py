"""`zs summary`: one period's report written as dated files, for cron.

File names: `<period>-<report>.<ext>` in the output directory, where the period is the ISO week
(`2023-W26`, the ISO year: 2023-01-01 is in `2022-W52`), the month (`2023-06`), the quarter
(`2023-Q2`) or the year (`2023`), and the report is 周调度, 月通报, 季评价, 年认定, or the week's 报送情况
and 催报 (with `--lang en`: weekly-dispatch, monthly-bulletin, quarterly-evaluation,
annual-certification, weekly-returns, reminder). Extensions: md, xlsx, json, html, txt (the prose of
`--format text`), csv and docx (the Word bulletin).

Every file is rendered to a hidden temporary file beside its target first; only when all of them are
rendered does any target change, each by a rename, so a failed run leaves the previous files as they
were. A target whose content would not change is left alone (an xlsx or docx is compared without the
timestamps its writer stamps into it), so a rerun changes nothing. A lock file in the directory keeps
two runs from interleaving.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from zhaoshang.errors import Busy

if TYPE_CHECKING:
    from zhaoshang.reports.model import Report

NAMES = {
    "zh": {"week": "周调度", "month": "月通报", "quarter": "季评价", "year": "年认定", "returns": "报送情况",
           "remind": "催报"},
    "en": {"week": "weekly-dispatch", "month": "monthly-bulletin", "quarter": "quarterly-evaluation",
           "year": "annual-certification", "returns": "weekly-returns", "remind": "reminder"},
}
EXTENSIONS = {"md": "md", "xlsx": "xlsx", "docx": "docx", "json": "json", "html": "html", "text": "txt", "csv": "csv"}
LOCK_NAME = ".zs-summary.lock"


def period_stem(period: str, as_of: dt.date) -> str:
    """2023-W26, 2023-06, 2023-Q2 or 2023: the window holding `as_of`."""
    if period in ("week", "returns", "remind"):
        year, week, _ = as_of.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{as_of:%Y-%m}"
    if period == "quarter":
        return f"{as_of.year}-Q{(as_of.month - 1) // 3 + 1}"
    return f"{as_of.year}"


def file_name(period: str, as_of: dt.date, fmt: str, lang: str = "zh") -> str:
    return f"{period_stem(period, as_of)}-{NAMES[lang][period]}.{EXTENSIONS[fmt]}"


@contextmanager
def directory_lock(directory: Path, timeout: float) -> Iterator[None]:
    """Hold DIR/.zs-summary.lock (flock) while writing; wait up to `timeout` seconds for another run."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no cron, no lock
        yield
        return
    fd = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(f"另一个 zs summary 正在写 {directory}（another summary is running）。",
                               "可用 ZS_BUSY_TIMEOUT 调整等待秒数。") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def write_summary(report: Report, period: str, as_of: dt.date, directory: Path, formats: Sequence[str],
                  lang: str = "zh") -> list[tuple[Path, bool]]:
    """Write the report in each format; returns (file, whether it changed) for each."""
    from zhaoshang.render.report import emit_report

    temps: dict[Path, Path] = {}
    try:
        for fmt in formats:
            target = directory / file_name(period, as_of, fmt, lang)
            temp = directory / f".{target.name}.{os.getpid()}.tmp"
            temps[target] = temp
            emit_report(report, fmt, temp, lang)
        # Every file is in place before any is replaced: a target that cannot be (a directory of the
        # same name) fails the run with the earlier files intact.
        for target in temps:
            if target.exists() and not target.is_file():
                from zhaoshang.errors import BadValue

                raise BadValue(f"无法写入 {target}：同名的不是文件。", "移走它后再运行；之前的文件都未改动。")
        mask = os.umask(0)
        os.umask(mask)
        written = []
        for target, temp in temps.items():
            if target.is_file() and same_content(target, temp):
                written.append((target, False))
                continue
            os.chmod(temp, 0o666 & ~mask)  # as any new file, whatever the renderer's temporary had
            _fsync(temp)
            os.replace(temp, target)
            written.append((target, True))
        if any(changed for _, changed in written):
            _fsync_dir(directory)
        return written
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def same_content(old: Path, new: Path) -> bool:
    if old.suffix not in (".xlsx", ".docx"):
        return old.read_bytes() == new.read_bytes()
    return _zip_parts(old) == _zip_parts(new)


def _zip_parts(path: Path) -> dict[str, bytes] | None:
    """An xlsx's or docx's parts, without the document properties (their created/modified times)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml"}
    except (zipfile.BadZipFile, OSError):
        return None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
