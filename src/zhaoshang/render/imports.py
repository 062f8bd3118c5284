"""An import's account on stderr, what matters first: counts per sheet, every rejected cell
(FILE:SHEET!CELL) and every warning that set, dropped or changed a value, in full; then new units and
chains, signings without a complete review, and the informational notes grouped by kind (capped)."""

from __future__ import annotations

import sys
from typing import Any

from zhaoshang.vocabulary.labels import SHEET_KIND_ZH

SHOWN_UNREVIEWED = 20
SHOWN_WARNINGS = 20  # informational lines a terminal shows; --format json carries them all


def summary_lines(r: Any, *, strict: bool = False, dry_run: bool = False) -> list[str]:
    """The lines of an import's summary (services.imports.ImportResult)."""
    lines = []
    verb = "将" if dry_run or strict else ""  # a --strict import that failed wrote none of it
    if strict:
        lines.append("（--strict：有行被拒绝，未写入任何内容）")
    lines.append(f"导入 {r.file}：{verb}新增 {r.inserted}，{verb}更新 {r.updated}，未变化 {r.unchanged}，"
                 f"拒绝 {r.rejected}")
    for s in r.sheets:
        if not s.rows:
            continue
        skipped = getattr(s, "skipped", 0)
        skipped = f"；另跳过 {skipped} 行（空行、分节、小计、说明或被后面重复的行取代）" if skipped else ""
        lines.append(f"  {s.sheet}（{SHEET_KIND_ZH[s.kind]}）：{s.rows} 行 — 新增 {s.inserted}，更新 {s.updated}，"
                     f"未变化 {s.unchanged}，拒绝 {s.rejected}{skipped}")
    pr = r.problems
    if pr.inserted or pr.updated or pr.unchanged:
        lines.append(f"存在问题：{verb}新增 {pr.inserted}，{verb}更新 {pr.updated}，未变化 {pr.unchanged}")
    notes = r.notes
    if notes.inserted or notes.updated or notes.unchanged:
        lines.append(f"本周进展：{verb}新增 {notes.inserted}，{verb}更新 {notes.updated}，未变化 {notes.unchanged}")
    if r.funds_months:
        lines.append(f"到位资金：{verb}登记或更正 {r.funds_months} 个月")
    if r.errors:  # errors, then every warning that set, dropped or changed a value: in full, first
        lines.append("错误：")
        lines += [f"  {e.line()}" for e in r.errors]
    lines += [f"注意：{warning}" for warning in r.warnings]
    if r.new_units:
        lines.append(f"新建责任单位（类别“其他”）：{'、'.join(r.new_units)}")
    if r.new_chains:
        lines.append(f"新建产业链：{'、'.join(r.new_chains)}")
    if r.unreviewed_count:
        n = r.unreviewed_count
        shown = "、".join(row["code"] for row in r.unreviewed[:SHOWN_UNREVIEWED]) + \
            (f" 等 {n} 个" if n > SHOWN_UNREVIEWED else "")
        lines.append(f"已签约但联审未完成的项目 {n} 个：{shown}（zs review pending 查看缺少的标准）")
    info = info_lines(getattr(r, "info", []))
    lines += [f"说明：{line}" for line in info[:SHOWN_WARNINGS]]
    more = len(info) - SHOWN_WARNINGS + r.warnings_dropped
    if more > 0:
        lines.append(f"说明：…另有 {more} 条（--format json 列出全部）")
    if strict:
        lines.append(f"--strict：{r.rejected} 行被拒绝，未写入任何内容。")
    elif r.rejected:
        landed = r.inserted + r.updated + r.unchanged
        lines.append(f"已导入 {landed} 行；{r.rejected} 行被拒绝（退出码 1）。" if not dry_run
                     else f"{landed} 行可导入；{r.rejected} 行会被拒绝。")
    return lines


def _span(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{names[0]}…{names[-1]}"


def info_lines(info: list[tuple[tuple[str, ...], str]]) -> list[str]:
    """Informational notes, those of one kind grouped into one line with a count: "1月…5月：278 行被
    6月 的同一项目取代，以后者为准"; a kind seen once keeps its own words."""
    groups: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for group, message in info:
        groups.setdefault(group[0], []).append((group, message))
    lines = []
    for kind, items in groups.items():
        if len(items) == 1:
            lines.append(items[0][1])
        elif kind == "superseded":
            earlier = list(dict.fromkeys(g[1] for g, _ in items))
            later = list(dict.fromkeys(g[2] for g, _ in items))
            lines.append(f"{_span(earlier)}：{len(items)} 行被 {_span(later)} 的同一项目取代，以后者为准")
        else:
            lines.append(f"{items[0][1]}（同类共 {len(items)} 条）")
    return lines


def print_summary(result: Any, *, strict: bool = False, dry_run: bool = False) -> None:
    """The summary on stderr, a line at a time."""
    for line in summary_lines(result, strict=strict, dry_run=dry_run):
        sys.stderr.write(line.rstrip("\n") + "\n")
        sys.stderr.flush()
