"""`zs returns collect`'s account on stderr: a line per file (whose return, which week, on time or
late, what it changed, or why it was refused or skipped), the changes a line per project, the
warnings and every rejected cell (FILE:SHEET!CELL), then the week's count."""

from __future__ import annotations

import sys
from datetime import tzinfo
from typing import Any

from zhaoshang.vocabulary.weeks import week_short_zh

SHOWN_LINES = 20
SHOWN_ERRORS = 50
TIMING_ZH = {"on_time": "按时", "late": "迟报", "after_report": "周报之后才收到，记为未报"}
COUNT_ZH = (("projects_new", "新增项目"), ("projects_changed", "项目有变化"), ("notes", "本周进展"),
            ("problems", "存在问题"), ("trips", "外出招商"), ("rejected", "拒绝"))


def collected_lines(got: list[Any], status: Any, zone: tzinfo, *, dry_run: bool = False) -> list[str]:
    out: list[str] = []
    for g in got:
        out += _file(g, zone, dry_run)
    taken = [g for g in got if g.outcome == "accepted"]
    counts = {k: sum(1 for g in got if g.outcome == k) for k in ("duplicate", "refused", "skipped", "plain")}
    fixed = sum(1 for g in taken if g.superseded is not None)
    missing = [u.unit for u in status.units if u.status in ("missing", "refused")]
    line = (f"收表 {week_short_zh(status.week)}：{len(got)} 个文件 — 收下 {len(taken)}（其中更正 {fixed}），"
            f"已收过 {counts['duplicate']}，退回 {counts['refused']}，跳过 {counts['skipped']}")
    if counts["plain"]:
        line += f"，按普通台账导入 {counts['plain']}"
    out.append(line + ("（试运行，未写入）" if dry_run else ""))
    if missing:
        out.append(f"尚未报送的单位 {len(missing)} 个：{'、'.join(missing)}（zs returns status --remind 生成催报消息）")
    else:
        out.append("各单位均已报送。")
    return out


def _file(g: Any, zone: tzinfo, dry_run: bool) -> list[str]:
    name = g.file
    if g.outcome in ("refused", "skipped"):
        word = "退回" if g.outcome == "refused" else "跳过"
        reason = g.reason or ""
        return [f"{name}：{word} — {reason.removeprefix(name + '：')}"]
    if g.outcome == "duplicate":
        return [f"{name}：{g.unit} {week_short_zh(g.week)}的这份报表{g.reason}，未重复导入"]
    lines = []
    if g.outcome == "plain":
        lines.append(f"{name}：不是报表模板，按普通台账导入")
    else:
        when = f"{g.received_at.astimezone(zone):%m-%d %H:%M}"
        done = "、".join(f"{label} {g.counts[k]}" for k, label in COUNT_ZH if g.counts.get(k)) or "无变化"
        fixed = f"，更正 {g.superseded.astimezone(zone):%m-%d %H:%M} 收到的报表" if g.superseded is not None else ""
        lines.append(f"{name}：{g.unit} {week_short_zh(g.week)}，{TIMING_ZH[g.timing]}（{when} 收到）{fixed} — {done}")
        lines += [f"  {line}" for line in g.lines[:SHOWN_LINES]]
        if len(g.lines) > SHOWN_LINES:
            lines.append(f"  …另有 {len(g.lines) - SHOWN_LINES} 个项目有变化（--format json 列出全部）")
    r = g.result
    lines += [f"注意：{w}" for w in g.warnings]
    if r is not None:
        lines += [f"注意：{w}" for w in r.warnings]
        if r.errors:
            lines.append("错误：")
            lines += [f"  {e.line()}" for e in r.errors[:SHOWN_ERRORS]]
            if len(r.errors) > SHOWN_ERRORS:
                lines.append(f"  …另有 {len(r.errors) - SHOWN_ERRORS} 处（--format json 列出全部）")
    return lines


def print_collected(got: list[Any], status: Any, zone: tzinfo, *, dry_run: bool = False) -> None:
    for line in collected_lines(got, status, zone, dry_run=dry_run):
        sys.stderr.write(line.rstrip("\n") + "\n")
    sys.stderr.flush()
