"""`zs stages list/map`: the words a district's ledgers use for the stages."""

from typing import Annotated

import typer

from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, OutOpt, done, err, new_app, output, reading, writing

app = new_app("阶段词 stage words: list, map.\n\n例 example: zs stages map 已摘地 signed")


@app.command("list")
def list_(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """阶段词列表 Every stage word zs understands, the district's own first.

    例 example: zs stages list --format json
    """
    from zhaoshang.services.stages import list_words
    from zhaoshang.vocabulary.columns import Col

    with reading() as session:
        rows = list_words(session)
    columns = [Col("word", "阶段词", "Word"), Col("stage", "阶段", "Stage", "stage"),
               Col("source", "来源", "Source")]
    output(rows, columns, fmt, out)


@app.command("map")
def map_(
    word: Annotated[str, typer.Argument(help="台账里的阶段词 the word a ledger uses, e.g. 已摘地.")],
    stage: Annotated[str, typer.Argument(help="对应阶段 the stage it means: signed, started…")],
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """增加阶段词 Teach zs a district's own stage word.

    例 example: zs stages map 已摘地 signed
    """
    from zhaoshang.services.stages import map_word

    with writing("stages map", by, dry_run=dry_run) as ctx:
        changed = map_word(ctx, word, stage)
    from zhaoshang.vocabulary.stages import STAGE_ZH, parse_stage

    key = parse_stage(stage)
    if changed:
        done(f"已对应：{word} → {STAGE_ZH.get(key, key)}（{key}）")
    else:
        err("没有变化。")
