"""`zs settings`: the ledger's settings — the district's name, the Word bulletin's closing part, and when
the weekly returns are due."""

from pathlib import Path
from typing import Annotated

import typer

from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, OutOpt, err, new_app, output, reading, writing
from zhaoshang.errors import BadValue

app = new_app("账本设置 ledger settings: list, district, bulletin-closing, returns-deadline, usd-rate.\n\n"
              "例 example: zs settings district 枣庄市市中区")


@app.command("list")
def list_(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """设置列表 Every setting of the ledger.

    例 example: zs settings list
    """
    from zhaoshang.services.settings import all_settings
    from zhaoshang.vocabulary.columns import Col

    with reading() as session:
        rows = all_settings(session)
    output(rows, [Col("key", "设置项", "Key"), Col("value", "设置值", "Value", "text")], fmt, out)


@app.command("district")
def district(
    name: Annotated[str | None, typer.Argument(help="区名 the district's name, e.g. 枣庄市市中区 (none: show it).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """区名 The district every report page and the export name.

    例 example: zs settings district 枣庄市市中区
    """
    _set("district", name, False, by, dry_run)


@app.command("bulletin-closing")
def bulletin_closing(
    file: Annotated[Path | None, typer.Option(
        "--file", help="从文本文件读入（UTF-8）read the paragraphs from a UTF-8 text file.", dir_okay=False)] = None,
    clear: Annotated[bool, typer.Option("--clear", help="清除，恢复默认 clear it (the default text returns).")] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """通报结尾 The closing part (四、下步工作要求) of the Word bulletins, as the office words it; a
    blank line starts a new paragraph. Without options: print it.

    例 example: zs settings bulletin-closing --file 下步工作要求.txt
    """
    text = None
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise BadValue(f"--file 文件不存在：{file}") from None
        except UnicodeDecodeError:
            raise BadValue(f"--file {file} 不是 UTF-8 文本。", "另存为 UTF-8 编码的 .txt 后再试。") from None
        if not text.strip():
            raise BadValue(f"--file {file} 是空的。", "要清除请用 --clear。")
    _set("bulletin_closing", text, clear, by, dry_run)


@app.command("returns-deadline")
def returns_deadline(
    value: Annotated[str | None, typer.Argument(
        help="星期几和时刻 weekday and time, e.g. \"周五 17:00\" (none: show it).", show_default=False)] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """报送截止时间 When the units' weekly returns are due, in ZS_TZ (default 周五 17:00). A return after it
    but before the week is over is 迟报 (late); after that it missed the week's report and counts as
    未报, though what it says is imported all the same.

    例 example: zs settings returns-deadline "周五 12:00"
    """
    from zhaoshang.cli._common import parse_opt
    from zhaoshang.services.settings import returns_deadline as current
    from zhaoshang.services.settings import set_setting
    from zhaoshang.vocabulary.returns import parse_deadline

    if value is None:
        with reading() as session:
            typer.echo(str(current(session)))
        return
    parsed = parse_opt("DEADLINE", parse_deadline, value)
    with writing("settings returns-deadline", by, dry_run=dry_run) as ctx:
        changed = set_setting(ctx, "returns_deadline", str(parsed))
    err(f"已设置报送截止时间：{parsed}" if changed else f"没有变化：报送截止时间仍为 {parsed}")


@app.command("usd-rate")
def usd_rate(
    year: Annotated[int, typer.Argument(help="年份 the year, e.g. 2023.")],
    rate: Annotated[str | None, typer.Argument(
        help="汇率 元 per 美元, e.g. 7.0 (none: show it).", show_default=False)] = None,
    clear: Annotated[bool, typer.Option("--clear", help="清除 clear it (外资-only projects are left out of the bands).")] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """美元汇率 The rate (元 per 美元) by which a project known only in 万美元 counts in that year's 亿元
    bands (亿元以上项目). Without a rate such projects are left out, and the reports say how many.
    Money is never converted anywhere else: 外资 stays in 万美元.

    例 example: zs settings usd-rate 2023 7.0
    """
    from zhaoshang.services.settings import set_usd_rate
    from zhaoshang.services.settings import usd_rate as current

    if rate is None and not clear:
        with reading() as session:
            value = current(session, year)
        if value is None:
            err(f"（未设置 {year} 年美元汇率：外资项目不计入亿元以上档次）")
        else:
            typer.echo(str(value))
        return
    with writing("settings usd-rate", by, dry_run=dry_run) as ctx:
        changed = set_usd_rate(ctx, year, None if clear else rate)
    err((f"已{'清除' if clear else '设置'}{year}年美元汇率。") if changed else "没有变化。")


def _set(key: str, value: str | None, clear: bool, by: str | None, dry_run: bool) -> None:
    from zhaoshang.services.settings import KNOWN, get_setting, set_setting

    if value is None and not clear:
        with reading() as session:
            current = get_setting(session, key)
        if current is None:
            err(f"（未设置 {KNOWN[key][0]}）")
        else:
            typer.echo(current)
        return
    with writing(f"settings {key}", by, dry_run=dry_run) as ctx:
        changed = set_setting(ctx, key, None if clear else value)
    err(f"已{'清除' if clear else '设置'}{KNOWN[key][0]}。" if changed else "没有变化。")
