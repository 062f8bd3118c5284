"""The listings' column sets: which keys, which labels (zh/en), how each value shows. Ledger columns
come from the catalogue (vocabulary/columns.py); the rest are a listing's own."""

from __future__ import annotations

from zhaoshang.vocabulary.columns import Col, ledger_column


def _cols(sheet: str, keys: str) -> list[Col]:
    return [ledger_column(sheet, key).col() for key in keys.split()]


PROJECTS = [*_cols("project", "code name investor investment_wan investment_usd_wan chain unit stage signed_on "
                              "started_on marshal"), ledger_column("project", "support_units").col(optional=True)]
# Every key of a listing row, for csv/md/xlsx/html where nothing needs to fit a terminal.
PROJECTS_FULL = [
    *PROJECTS[:9],
    *_cols("project", "ready_on started_on produced_on"),
    ledger_column("project", "marshal").col(optional=False),
]
# zs projects list and show in files: every listing key and the 推进表's people.
PROJECTS_LISTING = [*PROJECTS_FULL, *_cols("project", "support_units leaders")]

PROJECT_DETAIL = [
    Col("field", "项目", "Field"),
    Col("value", "内容", "Value"),
]

MILESTONES = [
    *_cols("milestone", "code name"),
    ledger_column("project", "unit").col(),
    *_cols("milestone", "kind planned_on done_on done note"),
]
OVERDUE = [*MILESTONES[:5], Col("days_late", "逾期天数", "Days late", "int"), MILESTONES[7]]

HISTORY = [
    Col("at", "时间", "At", "datetime"),
    Col("actor", "操作人", "Actor"),
    Col("source", "来源", "Source"),
    Col("change", "变更", "Change"),
]

UNITS = _cols("unit", "sort_order name kind class leader")
CHAINS = _cols("chain", "sort_order name chief anchor_firm lead_unit")
TRIPS = _cols("trip", "date unit leader is_main_leader destination region visits negotiations note")

CAMPAIGNS = [
    Col("name", "会战", "Campaign"),
    Col("start_on", "开始", "Start", "date"),
    Col("end_on", "结束", "End", "date"),
    Col("days", "天数", "Days", "int"),
    Col("targets", "目标数", "Targets", "int"),
    Col("rules_version", "评分规则", "Rules"),
]

TARGETS = _cols("target", "campaign unit metric value")

REVIEW_STATUS = _cols("review", "criterion verdict reviewed_on reviewer note")
REVIEWS = REVIEW_STATUS[:]

REVIEW_PENDING = [
    *_cols("project", "code name unit stage signed_on"),
    Col("reviewed", "已审", "Reviewed", "int"),
    Col("criteria", "标准数", "Criteria", "int"),
    Col("failed", "不通过", "Failed", "names"),
    Col("missing", "未审", "Missing", "names"),
]

CRITERIA = _cols("criterion", "sort_order name valid_from valid_until")

PROBLEMS = [
    Col("id", "编号", "ID", "int"),
    *_cols("problem", "code name text owner raised_on due_on"),
    Col("status", "状态", "Status", "problem_status"),
    Col("days_late", "逾期天数", "Days late", "int", optional=True),
    *_cols("problem", "resolved_on resolution"),
]

USERS = [
    Col("name", "用户", "User"),
    Col("role", "角色", "Role"),
    Col("units", "负责单位", "Units"),
]

IMPORT_BATCHES_FULL = [
    Col("id", "批次", "Batch", "int"),
    Col("at", "时间", "At", "datetime"),
    Col("actor", "操作人", "Actor"),
    Col("file", "文件", "File"),
    Col("rows_read", "读取行", "Rows", "int"),
    Col("inserted", "新增", "Inserted", "int"),
    Col("updated", "更新", "Updated", "int"),
    Col("unchanged", "未变化", "Unchanged", "int"),
    Col("rejected", "拒绝", "Rejected", "int"),
    Col("status_zh", "状态", "Status"),
    Col("message", "说明", "Note", optional=True),
]
# At a terminal: what a clerk picks a batch to undo by (80 columns).
IMPORT_BATCHES = [c for c in IMPORT_BATCHES_FULL if c.key not in ("rows_read", "unchanged", "message")]
# A project's latest progress notes (zs projects show).
NOTES = [
    Col("week", "周次", "Week"),
    Col("progress", "本周进展", "Progress"),
    Col("next_step", "下步计划", "Next step"),
]
