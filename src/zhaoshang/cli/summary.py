"""`zs summary`: the period's report as dated files, for cron."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import err, new_app, reading
from zhaoshang.errors import BadValue, ZsError


class PeriodOpt(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"
    returns = "returns"
    remind = "remind"


def _formats(value: str) -> list[str]:
    from zhaoshang.render.summary import EXTENSIONS

    chosen: list[str] = []
    for part in value.split(","):
        fmt = part.strip().lower()
        if fmt not in EXTENSIONS:
            raise BadValue(f"--formats “{part.strip()}”无效。", f"可用：{','.join(EXTENSIONS)}。")
        if fmt not in chosen:
            chosen.append(fmt)
    if not chosen:
        raise BadValue("--formats 不能为空。")
    return chosen


def summary(
    period: Annotated[PeriodOpt, typer.Option(
        "--period", "-p", help="周调度/月通报/季评价/年认定 week | month | quarter | year; 报送情况 returns (the "
                               "week's returns); 催报 remind (the chasing message, a .txt).")],
    out_dir: Annotated[Path, typer.Option("--out-dir", "-d", help="写入目录 directory for the files.")],
    formats: Annotated[str, typer.Option("--formats", help="格式 comma-separated: md,xlsx,docx,json,html,text,csv.")]
        = "md,xlsx,json,html,text",
    as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期 as of (default: today in ZS_TZ).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="列出写入的文件 list the files on stderr.")] = False,
) -> None:
    """定时写报表 Write the period's report as dated files, for cron.

    Files are named 2023-W26-周调度.md, 2023-06-月通报.xlsx, 2023-Q2-季评价.json, 2023-年认定.html,
    2023-W26-报送情况.md, 2023-W26-催报.txt (--period remind writes only the text), written atomically; a rerun changes nothing; a failed run leaves the previous files as they were.
    Silent on success unless -v; on failure one line on stderr and exit 1. Never upgrades the
    ledger's schema (run zs db upgrade).

    例 example: zs summary --period week --out-dir /srv/zs/周调度 --as-of 2023-06-30;
    zs summary --period remind --out-dir /srv/zs/催报
    """

    chosen = ["text"] if period is PeriodOpt.remind else _formats(formats)
    day = _common.day_or_today("--as-of", as_of)
    try:
        written = _write(period.value, day, out_dir, chosen)
    except ZsError:
        raise
    except OSError as exc:
        raise ZsError(f"写入 {out_dir} 失败：{exc.strerror or exc}"
                      + (f"（{exc.filename}）" if exc.filename else "")) from None
    except Exception as exc:  # cron must get one line, whatever broke
        raise ZsError(f"zs summary 失败：{type(exc).__name__}: {exc}") from None
    if verbose:
        for path, changed in written:
            err(f"{'已写入' if changed else '未变'} {path}")


def _write(period: str, day, out_dir: Path, formats: list[str]):  # type: ignore[no-untyped-def]
    from zhaoshang import config
    from zhaoshang.render.summary import directory_lock, write_summary
    from zhaoshang.reports import build

    if out_dir.exists() and not out_dir.is_dir():
        raise BadValue(f"--out-dir “{out_dir}”不是目录。")
    _common.require_exists(_common.state.url)  # no ledger: fail before making the directory
    out_dir.mkdir(parents=True, exist_ok=True)
    with directory_lock(out_dir, config.busy_timeout()):
        with reading() as session:
            if period in ("returns", "remind"):
                from zhaoshang.reports.returns import reminder_report, status_report

                now = config.utcnow()
                report = status_report(session, day, now) if period == "returns" else reminder_report(session, day, now)
            else:
                report = build.report(session, period, day)
        return write_summary(report, period, day, out_dir, formats, _common.state.lang)


app = new_app(group=False)
app.command("summary")(summary)
