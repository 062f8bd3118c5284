"""The words of a unit's weekly return (周报表), shared by the template's writer (render/returns.py),
its reader (importers/returns.py) and the services: the sheets and columns of a template, its hidden
metadata, the checksum of its locked cells, the deadline and when a return is on time, the statuses.

DESIGN §10 "Returns": the period of a return is the ISO week holding the as-of day. The deadline is
the ledger setting returns_deadline, a weekday and a time of that week in ZS_TZ (default 周五 17:00).
The week's weekly report is issued when the week is over (Sunday 24:00 ZS_TZ; the dispatch reports
it the Monday after): a return received after the deadline but before then is late (迟报); one
received after it missed the week's report and counts as not returned (未报), though what it says is
imported all the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from datetime import tzinfo

from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.weeks import week_end

MARK = "zs-return"  # the metadata sheet's first value: this workbook is a return template
VERSION = "1"  # the template's layout; a return names the version it was written as
META_SHEET = "模板信息"  # very hidden: key | value rows, then one "locked" row per pre-filled project
PROJECT_SHEET = "项目台账"
TRIP_SHEET = "外出招商"
NOTES_SHEET = "填报说明"
LISTS_SHEET = "选项"  # hidden: the dropdowns' lists
NEW_ROWS = 10  # empty rows for new projects (and for trips)
META_KEYS = ("template", "version", "ledger", "district", "unit", "week", "generated", "checksum")
LOCKED = "locked"  # a metadata row: locked | code | name | the row it was written on (1-based)

# The template's project sheet, left to right. The headers are words the import knows (the column
# catalogue's aliases); `code` and `name` are the locked cells.
PROJECT_COLUMNS = [
    Col("index", "序号", "No.", "int"),
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("investor", "投资方", "Investor"),
    Col("investment_wan", "总投资（亿元）", "Investment (100M CNY)", "yi"),
    Col("chain", "所属产业链", "Chain"),
    Col("stage", "项目阶段", "Stage", "stage"),
    Col("support_units", "配合单位", "Supporting units"),
    Col("leaders", "区级包保领导", "Leaders"),
    # 万元 of the template's year and to the end of its month: the header names both (plan_header,
    # completed_header), so the import reads them as it reads a 推进表's.
    Col("plan_wan", "年度计划投资（万元）", "Plan this year (10k CNY)", "wan"),
    Col("completed_wan", "完成投资（万元）", "Completed this year (10k CNY)", "wan"),
    Col("signed_on", "签约时间", "Signed", "ldate"),
    Col("started_on", "开工时间", "Started", "ldate"),
    Col("produced_on", "投产时间", "Producing", "ldate"),
    Col("progress", "本周进展", "Progress this week"),
    Col("next_step", "下步计划", "Next step"),
    Col("problems", "存在问题", "Problems"),
    Col("coordination", "需协调事项", "To coordinate"),
    Col("due_on", "解决时限", "Due", "ldate"),
]
TRIP_COLUMNS = [
    Col("date", "外出日期", "Date", "date"),
    Col("leader", "带队领导", "Leader"),
    Col("is_main_leader", "主要领导带队", "Main leader", "bool"),
    Col("destination", "目的地", "Destination"),
    Col("region", "区域", "Region"),
    Col("visits", "走访项目", "Visits", "int"),
    Col("negotiations", "参与洽谈", "Negotiations", "int"),
    Col("note", "备注", "Note"),
]

STATUSES = ("on_time", "late", "unchanged", "refused", "missing")
STATUS_ZH = {"on_time": "按时", "late": "迟报", "unchanged": "无变化", "refused": "退回", "missing": "未报"}


def checksum(locked: list[tuple[str, str]]) -> str:
    """The SHA-256 of the locked cells: code and name of each pre-filled row, in order."""
    return hashlib.sha256("\n".join(f"{code}\t{name}" for code, name in locked).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- the deadline

DEFAULT_DEADLINE = "周五 17:00"
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS: dict[str, int] = {}
for _i, (_zh, _en) in enumerate(zip(WEEKDAY_ZH, (d.lower() for d in WEEKDAY_EN), strict=True)):
    for _word in (_zh, "星期" + _zh[1], "礼拜" + _zh[1], _en, str(_i + 1)):
        _WEEKDAYS[_word] = _i
for _word in ("周天", "星期天", "礼拜天"):
    _WEEKDAYS[_word] = 6
_SPEC = re.compile(r"^\s*(\S+?)\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


@dataclass(frozen=True)
class Deadline:
    weekday: int  # 0 Monday … 6 Sunday
    hour: int
    minute: int

    def __str__(self) -> str:
        return f"{WEEKDAY_ZH[self.weekday]} {self.hour:02d}:{self.minute:02d}"

    def english(self) -> str:
        return f"{WEEKDAY_EN[self.weekday]} {self.hour:02d}:{self.minute:02d}"

    def day(self, week: dt.date) -> dt.date:
        return week + dt.timedelta(days=self.weekday)

    def due_at(self, week: dt.date, zone: tzinfo) -> dt.datetime:
        """The deadline of the week starting `week`, as an aware UTC time."""
        local = dt.datetime.combine(self.day(week), dt.time(self.hour, self.minute), zone)
        return local.astimezone(dt.UTC)

    def text(self, week: dt.date) -> str:
        """6月30日（周五）17:00"""
        day = self.day(week)
        return f"{day.month}月{day.day}日（{WEEKDAY_ZH[self.weekday]}）{self.hour:02d}:{self.minute:02d}"


def parse_deadline(text: str) -> Deadline:
    """周五 17:00, 星期五 17:00, fri 17:00, 5 17:00 → Deadline; anything else raises ValueError."""
    m = _SPEC.match(text.replace("，", " ").replace(",", " "))
    day = _WEEKDAYS.get(m.group(1).lower()) if m else None
    if m is None or day is None:
        raise ValueError(f"“{text}”不是截止时间：写作“周五 17:00”（星期几和时刻）")
    hour, minute = int(m.group(2)), int(m.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(f"“{text}”的时刻不存在")
    return Deadline(day, hour, minute)


def report_at(week: dt.date, zone: tzinfo) -> dt.datetime:
    """When the week's weekly report is issued: the end of its Sunday in ZS_TZ, as UTC."""
    local = dt.datetime.combine(week_end(week) + dt.timedelta(days=1), dt.time(0, 0), zone)
    return local.astimezone(dt.UTC)


def timing(received_at: dt.datetime, week: dt.date, due: Deadline, zone: tzinfo) -> str:
    """on_time, late (after the deadline, before the week's report) or after_report."""
    at = received_at if received_at.tzinfo else received_at.replace(tzinfo=dt.UTC)
    if at <= due.due_at(week, zone):
        return "on_time"
    if at < report_at(week, zone):
        return "late"
    return "after_report"
