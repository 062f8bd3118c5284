"""报送情况 and 本周进展: the units' weekly returns in the reports (an extension, see reports/extensions.py),
`zs returns status` as a report of its own, and the 催报 text.

- Weekly dispatch: per unit returns_on_time, returns_late, returns_missing (1 or 0; the leadership owes
  none), a 报送情况 sentence naming the late and missing units, and the `progress` list: the live 挂帅
  projects and the live projects with an open problem that have a progress note, with the latest
  (本周进展, 下步计划, and the week it is of).
- Monthly bulletin: per unit how many of the month's weekly returns came on time, late or not at all
  (a week belongs to the month of its deadline day, once that day is reached by the cut-off).

A ledger that has never collected a return shows no 报送情况 (its district does not use returns);
the progress list shows only when a key project has a note.
"""

from __future__ import annotations

import datetime as dt
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlmodel import Session

from zhaoshang.models import Project, UnitReturn
from zhaoshang.reports.common import Directory, project_rows
from zhaoshang.reports.model import Report, Section
from zhaoshang.reports.periods import Period, zh_day
from zhaoshang.services.notes import latest_notes
from zhaoshang.services.problems import projects_with_open_problems
from zhaoshang.services.returns.status import WeekStatus, week_status, weeks_status
from zhaoshang.services.returns.template import owing_units
from zhaoshang.services.settings import returns_deadline
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.returns import STATUS_ZH, Deadline
from zhaoshang.vocabulary.stages import TERMINATED
from zhaoshang.vocabulary.weeks import week_end, week_of, week_short_zh, week_stem, week_zh

if TYPE_CHECKING:
    from zhaoshang.reports.extensions import ExtensionContext

R = UnitReturn.__table__  # type: ignore[attr-defined]
KEYS = ("returns_on_time", "returns_late", "returns_missing")
COLUMNS = [Col("returns_on_time", "按时报送", "On time", "int"), Col("returns_late", "迟报", "Late", "int"),
           Col("returns_missing", "未报", "Missing", "int")]
MONTH_COLUMNS = [Col("returns_due", "应报周数", "Weeks due", "int"), *COLUMNS]
STATUS_EN = {"on_time": "on time", "late": "late", "unchanged": "unchanged", "refused": "refused",
             "missing": "missing"}
PROGRESS_COLUMNS = [
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("unit", "责任单位", "Unit"),
    Col("stage", "阶段", "Stage", "stage"),
    Col("marshal", "挂帅", "Marshal", "bool"),
    Col("problems_open", "未解决\n问题", "Open\nproblems", "int"),
    Col("week", "周次", "Week"),
    Col("progress", "本周进展", "Progress"),
    Col("next_step", "下步计划", "Next step"),
]


def _zone() -> tzinfo:
    from zhaoshang import config

    return config.zone()


def local(at: dt.datetime | None, zone: tzinfo) -> str | None:
    return None if at is None else f"{at.astimezone(zone):%Y-%m-%d %H:%M}"


def _short(at: dt.datetime | None, zone: tzinfo) -> str | None:
    return None if at is None else f"{at.astimezone(zone):%m-%d %H:%M}"


def moment_zh(ws: WeekStatus, now: dt.datetime, zone: tzinfo) -> str:
    """截至6月30日 15:00 while the week runs; 截至7月2日（周日）24:00 once it is over."""
    if now >= ws.report_at:
        end = week_end(ws.week)
        return f"截至{end.month}月{end.day}日（周日）24:00"
    at = now.astimezone(zone)
    return f"截至{at.month}月{at.day}日 {at:%H:%M}"


def names(units: list[Any]) -> str:
    return "、".join(u.unit for u in units)


# --------------------------------------------------------------------------- zs returns status

STATUS_COLUMNS = [
    Col("unit", "责任单位", "Unit"),
    Col("_status", "报送情况", "Status", "i18n"),
    Col("_received", "收到时间", "Received"),
    Col("text", "变化", "Changes"),
    Col("note", "说明", "Note"),
    Col("file", "文件", "File"),
]
STATUS_TERMINAL = ["unit", "_status", "_received", "text", "note"]  # files and JSON carry the file too


def _changes_text(changes: dict[str, int] | None) -> str | None:
    """新项目1 变化2 进展3 问题1 外出1 拒绝1 (words a narrow terminal can wrap between)."""
    if not changes:
        return None
    parts = [(changes.get("projects_new"), "新项目"), (changes.get("projects_changed"), "变化"),
             (changes.get("notes"), "进展"), (changes.get("problems"), "问题"), (changes.get("trips"), "外出"),
             (changes.get("rejected"), "拒绝")]
    return " ".join(f"{label}{n}" for n, label in parts if n) or "无"


def status_report(session: Session, day: dt.date, now: dt.datetime) -> Report:
    """The week's 报送情况, one row per owing unit (JSON: an array of them)."""
    zone = _zone()
    ws = week_status(session, day, zone)
    rows = []
    for u in ws.units:
        note = _why(u.note) if u.status == "refused" else u.note
        if u.corrected_at:
            note = f"更正过（首次收到 {local(u.received_at, zone)}）" + (f"；{note}" if note else "")
        rows.append({**u.json(), "_status": (STATUS_ZH[u.status], STATUS_EN[u.status]),
                     "_received": _short(u.corrected_at or u.received_at, zone), "text": _changes_text(u.changes),
                     "note": note})
    period = Period("week", ws.week, week_end(ws.week), day)
    report = Report("returns", f"报送情况 {week_zh(ws.week)}", f"Weekly returns, {period.label('en')}", period=period,
                    sections=[Section("units", "各单位报送情况", "By unit", STATUS_COLUMNS, rows,
                                      terminal=STATUS_TERMINAL)])
    report.prose_zh = [summary_zh(ws, now, zone)]
    report.prose_en = [summary_en(ws)]
    report.data = [u.json() for u in ws.units]
    return report


def summary_zh(ws: WeekStatus, now: dt.datetime, zone: tzinfo) -> str:
    taken = [u for u in ws.units if u.status in ("on_time", "late", "unchanged")]
    parts = [f"应报{len(ws.units)}个单位，{moment_zh(ws, now, zone)}已报{len(taken)}个"
             f"（按时{len(ws.of('on_time'))}个、迟报{len(ws.of('late'))}个、无变化{len(ws.of('unchanged'))}个）",
             f"退回{len(ws.of('refused'))}个", f"未报{len(ws.of('missing'))}个"]
    return "，".join(parts) + f"。报送截止：{ws.due.text(ws.week)}。"


def summary_en(ws: WeekStatus) -> str:
    counts = {s: len(ws.of(s)) for s in STATUS_EN}
    return (f"{len(ws.units)} units owe a return: {counts['on_time']} on time, {counts['late']} late, "
            f"{counts['unchanged']} unchanged, {counts['refused']} refused, {counts['missing']} missing. "
            f"Due {ws.due.english()} ({ws.due.day(ws.week)}).")


def reminder(session: Session, day: dt.date, now: dt.datetime, district: str | None) -> str:
    """The 催报 message for the office's group chat: the missing units, the refused ones, the deadline."""
    zone = _zone()
    ws = week_status(session, day, zone)
    missing, refused = ws.of("missing"), ws.of("refused")
    head = (f"【催报】{district or ''}招商引资项目周报表（{week_short_zh(ws.week)}）"
            f"报送截止时间为{ws.due.text(ws.week)}。")
    if not missing and not refused:
        return head + f"{moment_zh(ws, now, zone)}，{len(ws.units)}个单位已全部报送，谢谢！\n"
    lines = [head]
    if missing:
        overdue = "已超过截止时间，" if now > ws.due_at else ""
        lines.append(f"{moment_zh(ws, now, zone)}，以下{len(missing)}个单位{overdue}尚未报送：{names(missing)}。")
    if refused:
        lines.append(f"以下{len(refused)}个单位的报表被退回，请按说明修改后重报：" +
                     "；".join(f"{u.unit}（{_why(u.note)}）" for u in refused) + "。")
    lines.append("请抓紧报送。报表请用下发的模板原样填报，勿改项目编号和名称。")
    return "\n".join(lines) + "\n"


def reminder_report(session: Session, day: dt.date, now: dt.datetime) -> Report:
    """The 催报 message as a report whose text is the message (for `zs summary --period remind`)."""
    from zhaoshang.services.settings import get_setting

    week = week_of(day)
    text = reminder(session, day, now, get_setting(session, "district")).rstrip("\n")
    report = Report("remind", f"催报 {week_zh(week)}", f"Reminder, week of {week}",
                    period=Period("week", week, week_end(week), day))
    report.prose_zh = report.prose_en = [text]
    return report


def _why(note: str | None) -> str:
    """The reason of a refusal, without the file and cell it names."""
    if not note:
        return "报表无法识别"
    text = note.split(" ", 1)[1] if " " in note and "!" in note.split(" ", 1)[0] else note
    return text.split("：未导入")[0].split("未导入")[0].rstrip("：，。 ")


# --------------------------------------------------------------------------- the cadence reports


def extend(report: Report, ctx: ExtensionContext) -> None:
    """A ledger that has never collected a return reports none (its district does not use them); the
    progress list shows the key projects that have a note."""
    used = ctx.session.connection().execute(select(R.c.id).limit(1)).first() is not None
    if report.kind == "week":
        if used:
            _week(report, ctx)
        rows = progress_rows(ctx.session, ctx.as_of, ctx.directory)
        if rows:
            report.add_list("progress", "重点项目本周进展（挂帅项目和有未解决问题的项目）",
                            "Progress of key projects (marshal, or with an open problem)", PROGRESS_COLUMNS, rows,
                            terminal=["code", "name", "unit", "stage", "week", "progress", "next_step"])
    elif report.kind == "month" and used:
        _month(report, ctx)


def _values(ctx: ExtensionContext, per_unit: dict[int, dict[str, int]], keys: list[str]) -> tuple[dict, dict]:
    """Per unit of the report (blank for the leadership, which owes none) and the totals."""
    values: dict[Any, dict] = {u.id: per_unit.get(u.id, dict.fromkeys(keys)) for u in ctx.directory.units}  # type: ignore[misc]
    totals = {k: sum(v[k] for v in per_unit.values()) for k in keys}
    return values, totals


def _week(report: Report, ctx: ExtensionContext) -> None:
    zone = _zone()
    ws = week_status(ctx.session, ctx.period.start, zone)
    ids = {u.id for u in ctx.directory.units}
    units = [u for u in ws.units if u.unit_id in ids]
    per_unit = {u.unit_id: {k: int(u.reported == k.removeprefix("returns_")) for k in KEYS} for u in units}
    values, totals = _values(ctx, per_unit, list(KEYS))
    report.add_unit_columns(COLUMNS, values, totals, table=(
        "returns_by_unit", f"报送情况（截止{ws.due.text(ws.week)}）", f"Weekly returns (due {ws.due.english()})"))
    on_time = [u for u in units if u.reported == "on_time"]
    late = [u for u in units if u.reported == "late"]
    missing = [u for u in units if u.reported == "missing"]
    text = f"报送情况：应报{len(units)}个单位，按时报送{len(on_time)}个"
    text += f"，迟报{len(late)}个（{names(late)}）" if late else "，迟报0个"
    text += f"，未报{len(missing)}个（{names(missing)}）" if missing else "，未报0个"
    report.prose_zh.append(text + "。")
    late_en = f" ({', '.join(u.unit for u in late)})" if late else ""
    missing_en = f" ({', '.join(u.unit for u in missing)})" if missing else ""
    report.prose_en.append(f"Weekly returns: {len(units)} units owe one; {len(on_time)} on time, "
                           f"{len(late)} late{late_en}, {len(missing)} missing{missing_en}.")


def progress_rows(session: Session, as_of: dt.date, d: Directory) -> list[dict]:
    """Live 挂帅 projects and live projects with a problem open at as-of, in scope, that have a
    progress note in the week of as-of or before: each with its latest. 挂帅 first, then by unit in
    the official order."""
    P = Project.__table__  # type: ignore[attr-defined]
    open_problems = projects_with_open_problems(session, as_of)
    query = select(P.c.id).where(P.c.stage != TERMINATED, or_(P.c.marshal.is_(True), P.c.id.in_(list(open_problems))))
    if d.scope.unit_id is not None:
        query = query.where(P.c.unit_id == d.scope.unit_id)
    if d.scope.chain_id is not None:
        query = query.where(P.c.chain_id == d.scope.chain_id)
    ids = list(session.connection().execute(query).scalars())
    notes = latest_notes(session, ids, as_of)
    rows = project_rows(session, notes)
    out = [{**rows[pid], "problems_open": open_problems.get(pid, 0), "week": note["week"],
            "progress": note["progress"], "next_step": note["next_step"]} for pid, note in notes.items()]
    order = {u.name: i for i, u in enumerate(d.units)}
    out.sort(key=lambda r: (not r["marshal"], order.get(r["unit"], len(order)), r["code"]))
    return out


def _month(report: Report, ctx: ExtensionContext) -> None:
    zone = _zone()
    period = ctx.period
    weeks = weeks_due(period, returns_deadline(ctx.session))
    keys = [c.key for c in MONTH_COLUMNS]
    ids = {u.id for u in ctx.directory.units}
    per_unit = {u.id: dict.fromkeys(keys, 0) for u in owing_units(ctx.session) if u.id in ids}
    for ws in weeks_status(ctx.session, weeks, zone).values():
        for u in ws.units:
            if u.unit_id in per_unit:
                per_unit[u.unit_id]["returns_due"] += 1
                per_unit[u.unit_id]["returns_" + u.reported] += 1
    values, totals = _values(ctx, per_unit, keys)  # type: ignore[arg-type]
    report.add_unit_columns(MONTH_COLUMNS, values, totals,
                            table=("returns_by_unit", f"报送情况：{period.label('zh')}的周报表（分单位）",
                                   f"Weekly returns in {period.label('en')}, by unit"))
    text = (f"报送情况：{period.label('zh')}截至{zh_day(period.cutoff)}应报周报表{len(weeks)}周，"
            f"按时报送{totals['returns_on_time']}份、迟报{totals['returns_late']}份、未报{totals['returns_missing']}份")
    for key, word in (("returns_late", "迟报"), ("returns_missing", "未报")):
        who = [f"{u.name}{values[u.id][key]}次" for u in ctx.directory.units if (values.get(u.id) or {}).get(key)]
        if who:
            text += f"；{word}：{'、'.join(who)}"
    report.prose_zh.append(text + "。")
    report.prose_en.append(f"Weekly returns: {len(weeks)} weeks were due in {period.label('en')}; "
                           f"{totals['returns_on_time']} returns came on time, {totals['returns_late']} late, "
                           f"{totals['returns_missing']} not at all.")


def weeks_due(period: Period, due: Deadline) -> list[dt.date]:
    """The weeks whose returns a window counts: those whose deadline day falls in the window, by its
    cut-off (a week straddling two months belongs to the month of its deadline)."""
    out = []
    week = week_of(period.start)
    while week <= period.cutoff:
        if period.start <= due.day(week) <= period.cutoff:
            out.append(week)
        week += dt.timedelta(days=7)
    return out


def returns_missed(session: Session, period: Period, kind: str) -> list[dict]:
    """Each late (or missing) weekly return of a window, as the scoring rules deduct for them: one row
    per unit and week, {unit, code: the week (2023-W26)}."""
    weeks = weeks_due(period, returns_deadline(session))
    return [{"unit": u.unit, "code": week_stem(ws.week)} for ws in weeks_status(session, weeks, _zone()).values()
            for u in ws.units if u.reported == kind]
