"""Column sets of the listings: which keys, which labels (zh/en), how each value shows."""

from __future__ import annotations

from zhaoshang.render import Col

PROJECTS = [
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("investor", "投资方", "Investor"),
    Col("investment_wan", "总投资(亿元)", "Investment (100M CNY)", "yi"),
    Col("investment_usd_wan", "外资(万美元)", "Foreign (10k USD)", "usd", optional=True),
    Col("chain", "产业链", "Chain"),
    Col("unit", "责任单位", "Unit"),
    Col("stage", "阶段", "Stage", "stage"),
    Col("signed_on", "签约时间", "Signed", "date"),
    Col("started_on", "开工时间", "Started", "date"),
    Col("marshal", "挂帅", "Marshal", "bool", optional=True),
]
# Every key of a listing row, for csv/md/xlsx/html where nothing needs to fit a terminal.
PROJECTS_FULL = [
    *PROJECTS[:9],
    Col("ready_on", "具备开工条件时间", "Ready", "date"),
    Col("started_on", "开工时间", "Started", "date"),
    Col("produced_on", "投产时间", "Producing", "date"),
    Col("marshal", "挂帅", "Marshal", "bool"),
]

PROJECT_DETAIL = [
    Col("field", "项目", "Field"),
    Col("value", "内容", "Value"),
]

MILESTONES = [
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("unit", "责任单位", "Unit"),
    Col("kind", "节点", "Milestone", "milestone"),
    Col("planned_on", "计划时间", "Planned", "date"),
    Col("done_on", "完成时间", "Done on", "date"),
    Col("done", "已完成", "Done", "bool"),
    Col("note", "备注", "Note"),
]
OVERDUE = [*MILESTONES[:5], Col("days_late", "逾期天数", "Days late", "int"), MILESTONES[7]]

HISTORY = [
    Col("at", "时间", "At", "datetime"),
    Col("actor", "操作人", "Actor"),
    Col("source", "来源", "Source"),
    Col("change", "变更", "Change"),
]

UNITS = [
    Col("sort_order", "序号", "Order", "int"),
    Col("name", "责任单位", "Unit"),
    Col("kind", "类别", "Kind", "unit_kind"),
    Col("class", "分类", "Class"),
    Col("leader", "负责人", "Leader"),
]

CHAINS = [
    Col("sort_order", "序号", "Order", "int"),
    Col("name", "产业链", "Chain"),
    Col("chief", "链长", "Chief"),
    Col("anchor_firm", "链主企业", "Anchor firm"),
    Col("lead_unit", "牵头部门", "Lead unit"),
]

TRIPS = [
    Col("date", "日期", "Date", "date"),
    Col("unit", "单位", "Unit"),
    Col("leader", "带队领导", "Leader"),
    Col("is_main_leader", "主要领导", "Main leader", "bool"),
    Col("destination", "目的地", "Destination"),
    Col("region", "区域", "Region"),
    Col("visits", "走访项目", "Visits", "int"),
    Col("negotiations", "参与洽谈", "Negotiations", "int"),
    Col("note", "备注", "Note"),
]

CAMPAIGNS = [
    Col("name", "会战", "Campaign"),
    Col("start_on", "开始", "Start", "date"),
    Col("end_on", "结束", "End", "date"),
    Col("days", "天数", "Days", "int"),
    Col("targets", "目标数", "Targets", "int"),
    Col("rules_version", "评分规则", "Rules"),
]

TARGETS = [
    Col("campaign", "会战", "Campaign"),
    Col("unit", "责任单位", "Unit"),
    Col("metric", "指标", "Metric", "metric"),
    Col("value", "目标", "Target", "int"),
]

REVIEW_STATUS = [
    Col("criterion", "联审标准", "Criterion"),
    Col("verdict", "结论", "Verdict", "verdict"),
    Col("reviewed_on", "联审日期", "Reviewed on", "date"),
    Col("reviewer", "审查人", "Reviewer"),
    Col("note", "意见", "Note", "text"),
]
REVIEWS = REVIEW_STATUS[:]

REVIEW_PENDING = [
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("unit", "责任单位", "Unit"),
    Col("stage", "阶段", "Stage", "stage"),
    Col("signed_on", "签约时间", "Signed", "date"),
    Col("reviewed", "已审", "Reviewed", "int"),
    Col("criteria", "标准数", "Criteria", "int"),
    Col("failed", "不通过", "Failed", "names"),
    Col("missing", "未审", "Missing", "names"),
]

CRITERIA = [
    Col("sort_order", "序号", "Order", "int"),
    Col("name", "联审标准", "Criterion"),
    Col("valid_from", "启用日期", "From", "date"),
    Col("valid_until", "停用日期", "Until", "date"),
]

PROBLEMS = [
    Col("id", "编号", "ID", "int"),
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("text", "存在问题", "Problem", "text"),
    Col("owner", "责任单位", "Owner"),
    Col("raised_on", "提出日期", "Raised", "date"),
    Col("due_on", "解决时限", "Due", "date"),
    Col("status", "状态", "Status", "problem_status"),
    Col("days_late", "逾期天数", "Days late", "int", optional=True),
    Col("resolved_on", "解决日期", "Resolved", "date", optional=True),
    Col("resolution", "解决情况", "Resolution", "text", optional=True),
]

USERS = [
    Col("name", "用户", "User"),
    Col("role", "角色", "Role"),
    Col("units", "负责单位", "Units"),
]
