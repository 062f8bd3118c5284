"""Columns: `Col` (a key, its labels and how its value shows) and the ledger's column catalogue.

The catalogue declares each column of a ledger workbook once, per kind of sheet: its key (the row key of
listings, exports and JSON), its Chinese and English labels, how its value shows (kind), the header
words an import recognises (aliases, in the order the import looks them up), and where the export
writes it differently (export label, export kind). `zs import` reads the aliases, `zs export` the
export labels, and the listings and reports take their `Col`s from it (vocabulary/listings.py).

Kinds: text | code | yi (万元 shown in 亿元) | int | usd | bool | yesno | stage | unit_kind | metric
| milestone | verdict | problem_status | names | date | ldate (a ledger date `zs import` reads back)
| datetime | pct (0.853 → 85.3%) | score (0.853 → 85.30) | delta (+2 / -1) | yi_delta (+20.00)
| i18n (a (zh, en) pair) | num (a number as it is) | raw | bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhaoshang.vocabulary.labels import METRIC_ZH
from zhaoshang.vocabulary.stages import STAGE_DATE_KEY

NUMERIC_KINDS = ("yi", "int", "usd", "pct", "score", "delta", "yi_delta", "num")


@dataclass(frozen=True)
class Col:
    """One column: the row key, its labels, and how to show its value."""

    key: str
    zh: str
    en: str
    kind: str = "text"
    optional: bool = False  # a terminal table leaves it out when no row has a value

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class LedgerColumn:
    """A column of a ledger workbook, declared once."""

    key: str  # the row key of listings, exports and JSON
    zh: str  # the Chinese label a listing shows
    en: str
    kind: str = "text"
    aliases: str = ""  # header words the import recognises, space-separated
    field: str | None = None  # the import's field key, where it differs from `key`
    export: str | None = None  # the header `zs export` writes, where it differs from `zh`
    export_kind: str | None = None  # how the export writes it, where it differs (dates: ldate)
    optional: bool = False

    @property
    def import_key(self) -> str:
        return self.field or self.key

    def col(self, *, optional: bool | None = None) -> Col:
        """The column as a listing shows it."""
        return Col(self.key, self.zh, self.en, self.kind, self.optional if optional is None else optional)

    def export_col(self) -> Col:
        """The column as `zs export` writes it, so that `zs import` reads it back."""
        kind = self.export_kind or ("ldate" if self.kind == "date" else self.kind)
        return Col(self.key, self.export or self.zh, self.en, kind)


C = LedgerColumn

# 存在问题 and the columns that describe it, in a project sheet (beside it) or a sheet of their own.
PROBLEM_WORDS = ("存在问题 问题和建议 需协调事项 困难问题 存在困难 存在的问题 困难和问题 问题及建议 存在问题及建议 "
                 "需协调解决的问题 需协调解决事项 需要协调的问题 需协调问题 需协调解决问题 协调事项 困难问题及建议 "
                 "存在困难问题 存在问题和困难 问题内容 问题描述 具体问题")
DUE_WORDS = "解决时限 完成时限 办结时限 时限要求 解决期限 办结期限 要求完成时间 计划解决时间 时限"
RESOLVED_WORDS = "解决日期 实际解决时间 办结时间 办结日期 解决完成时间 实际办结时间"
RESOLUTION_WORDS = "解决情况 办理情况 办结情况 问题解决情况 办理结果 落实情况 协调情况 解决进展 协调解决情况"
RAISED_WORDS = "提出时间 提出日期 问题提出时间 发现时间 交办时间 交办日期"

_STAGE_DATES = (
    C("planned_on", "谋划时间", "Planned", "date", "谋划时间 谋划日期"),
    C("lead_on", "线索时间", "Lead", "date",
      "线索时间 获取时间 线索获取时间 获取日期 收集时间 首次对接时间 对接时间 线索日期"),
    C("negotiating_on", "在谈时间", "Negotiating", "date", "洽谈时间 在谈时间 首次洽谈时间 开始洽谈时间 洽谈日期"),
    C("signed_on", "签约时间", "Signed", "date", "签约时间 签约日期 协议签订时间 签订时间 签约时间节点"),
    C("ready_on", "具备开工条件时间", "Ready", "date", "具备开工条件时间 具备开工条件日期"),
    C("started_on", "开工时间", "Started", "date", "开工时间 开工日期 实际开工时间 开工时间节点"),
    C("produced_on", "投产时间", "Producing", "date", "投产时间 投产日期 竣工投产时间 实际投产时间 投产时间节点"),
    C("terminated_on", "终止时间", "Terminated", "date", "终止时间 终止日期"),
)
# 入库纳统: a milestone (kind registered), read like a stage date but setting no stage.
REGISTERED = C("registered_on", "入库纳统时间", "Registered", "date",
               "入库纳统时间 入库时间 纳统时间 入库纳统 入库日期 纳统日期 入统时间 入库纳统日期")
assert tuple(c.key for c in _STAGE_DATES) == tuple(STAGE_DATE_KEY.values())

# A project row's columns that are text kept as written (the import's field keys).
TEXT_FIELDS = ("investor", "source_region", "sector", "progress", "next_step", "note", "scope")

# Every kind of sheet a ledger workbook holds, its columns in the order the import looks them up.
CATALOGUE: dict[str, tuple[LedgerColumn, ...]] = {
    "project": (
        C("index", "序号", "No.", "int", "序号 序 排序 no"),
        C("code", "项目编号", "Code", "code", "项目编号 项目代码 项目id 项目号 编号 项目统一代码 项目库编号"),
        C("name", "项目名称", "Project", "text",
          "项目名称 项目 名称 线索名称 项目线索 项目线索名称 谋划项目名称 谋划项目 项目简称 签约项目名称 "
          "在谈项目名称 项目名称及建设内容 项目名称及主要建设内容 项目名称和建设内容"),
        C("investor", "投资方", "Investor", "text",
          "投资方 签约企业 投资主体 投资企业 投资商 意向投资方 意向企业 投资方名称 签约主体 客商 "
          "客商名称 企业名称 建设单位 项目单位 签约方 合作方"),
        C("investment_wan", "总投资(亿元)", "Investment (100M CNY)", "yi",
          "总投资 计划总投资 投资额 投资总额 总投资额 预计投资 预计总投资 拟投资 估算投资 计划投资 协议投资 "
          "协议投资额 签约金额 项目总投资 投资规模 预计投资额 估算总投资 合同金额 合同投资额 拟投资额 "
          "意向投资额 计划投资额 签约投资额", field="amount", export="总投资（亿元）"),
        C("investment_usd_wan", "外资(万美元)", "Foreign (10k USD)", "usd",
          "外资 利用外资 外资金额 其中外资 合同外资 外资额 外商投资", field="amount_usd", export="外资（万美元）",
          optional=True),
        C("chain", "产业链", "Chain", "text", "所属产业链 产业链 产业链条 链条 所属链条", export="所属产业链"),
        # 产业类别 is the chain on a sheet without a chain column, else the project's sector (DESIGN §10).
        C("chain_or_sector", "产业类别", "Sector", "text", "产业类别 产业类型 行业类别 所属行业 行业 产业 所属产业"),
        C("unit", "责任单位", "Unit", "text",
          "责任单位 牵头单位 责任部门 所属镇街 镇街 属地 落地镇街 包保单位 承办单位 主责单位 推进单位 "
          "属地单位 责任主体 对接单位 招引单位 引进单位 跟进单位"),
        C("stage", "阶段", "Stage", "stage", "项目状态 项目阶段 所处阶段 阶段 状态 跟进状态 推进阶段 目前状态 当前阶段",
          export="项目阶段"),
        C("progress", "进展情况", "Progress", "text",
          "进展情况 本周进展 项目进展情况 项目进展 推进情况 最新进展 目前进展 进度情况 工作进展 "
          "推进情况及存在问题 洽谈进度 洽谈进展 洽谈情况 跟进情况 对接情况 对接进展"),
        # 下步计划 goes to the week's progress note, never to the project itself.
        C("next_step", "下步计划", "Next step", "text",
          "下步计划 下一步计划 下步工作计划 下一步工作计划 下步打算 下一步打算 下步工作 下一步工作 下步工作安排 "
          "下一步工作安排"),
        C("marshal", "挂帅", "Marshal", "bool", "挂帅项目 是否挂帅 是否挂帅项目 挂帅 是否为挂帅项目", export="挂帅项目",
          optional=True),
        C("source_region", "来源地", "Region", "text",
          "来源地 项目来源地 投资方所在地 客商来源地 来源地区 投资方来源地"),
        C("note", "备注", "Remark", "text", "备注 说明"),
        # The 推进表's own columns (DESIGN §10): people and units as lists, the year's investment plan and
        # completed investment from headers that name their year and months (vocabulary/tuijin.py).
        C("leaders", "包保领导", "Leaders", "names",
          "区级包保领导 包保领导 包保区领导 区包保领导 县级包保领导 包保县级领导 包联领导 联系领导 分包领导 "
          "责任领导 包保责任领导 区级领导", export="区级包保领导", export_kind="text"),
        C("support_units", "配合单位", "Supporting units", "names",
          "配合单位 配合部门 协同单位 协办单位 配合责任单位 协助单位", export_kind="text"),
        C("scope", "建设内容及规模", "Scope", "text",
          "建设内容及规模 建设内容 建设规模 主要建设内容 建设内容和规模 主要建设内容及规模 项目建设内容 "
          "建设规模及内容"),
        # Read by their header's pattern (plan_field, completed_field), never by a fixed word.
        C("plan_wan", "年度计划投资(万元)", "Year's plan (10k CNY)", "int"),
        C("completed_wan", "完成投资(万元)", "Completed (10k CNY)", "int"),
        C("completion_rate", "完成率", "Completion", "pct"),
        C("planned_completion_on", "计划竣工时间", "Completion planned", "date",
          "计划竣工时间 预计竣工时间 计划竣工日期 计划完工时间 预计完工时间 计划建成时间 预计建成时间"),
        C("completed_on", "竣工时间", "Completed on", "date",
          "竣工时间 竣工日期 实际竣工时间 完工时间 实际完工时间 建成时间"),
        *_STAGE_DATES,
        REGISTERED,
        C("plan_signed_on", "计划签约时间", "Signing planned", "date", "计划签约时间 预计签约时间 拟签约时间"),
        C("plan_ready_on", "计划具备开工条件时间", "Ready planned", "date",
          "计划具备开工条件时间 预计具备开工条件时间"),
        C("plan_started_on", "计划开工时间", "Start planned", "date",
          "计划开工时间 预计开工时间 拟开工时间 计划开工日期"),
        C("plan_produced_on", "计划投产时间", "Production planned", "date",
          "计划投产时间 预计投产时间 拟投产时间 计划投产日期"),
        C("problem", "存在问题", "Problem", "text", PROBLEM_WORDS),
        C("problem_owner", "协调单位", "Problem owner", "text",
          "协调单位 牵头协调单位 协调责任单位 问题责任单位 问题责任部门 解决单位 协调部门"),
        C("problem_raised_on", "提出时间", "Problem raised", "date", RAISED_WORDS),
        C("problem_due_on", "解决时限", "Problem due", "date", DUE_WORDS),
        C("problem_resolved_on", "办结时间", "Problem resolved", "date", RESOLVED_WORDS),
        C("problem_resolution", "解决情况", "Problem resolution", "text", RESOLUTION_WORDS),
        # Not read from a sheet's own column of that name: the sector is what 产业类别 holds beside a chain column.
        C("sector", "产业类别", "Sector"),
    ),
    "milestone": (
        C("code", "项目编号", "Code", "code", "项目编号 项目代码 编号"),
        C("name", "项目名称", "Project", "text", "项目名称 项目"),
        C("kind", "节点", "Milestone", "milestone", "节点 节点类型 节点名称 里程碑"),
        C("planned_on", "计划时间", "Planned", "date", "计划时间 计划日期 计划完成时间 计划完成日期", field="planned"),
        C("done", "已完成", "Done", "bool", "是否完成 已完成 完成情况", export="是否完成", export_kind="yesno"),
        C("done_on", "完成时间", "Done on", "date", "完成时间 完成日期 实际完成时间"),
        C("note", "备注", "Note", "text", "备注 说明"),
    ),
    "unit": (
        C("sort_order", "序号", "Order", "int", "序号 排序 顺序 官方排序", field="order"),
        C("name", "责任单位", "Unit", "text", "责任单位 单位名称 单位 名称 单位全称"),
        C("kind", "类别", "Kind", "unit_kind", "类别 单位类别 单位类型 类型"),
        C("class", "分类", "Class", "text", "分类 考核分类 考核类别 档次 单位分类"),
        C("leader", "负责人", "Leader", "text", "负责人 主要负责人 领导 单位负责人"),
    ),
    "chain": (
        C("sort_order", "序号", "Order", "int", "序号 排序", field="order"),
        C("name", "产业链", "Chain", "text", "产业链 产业链名称 链条 名称"),
        C("chief", "链长", "Chief", "text", "链长"),
        C("anchor_firm", "链主企业", "Anchor firm", "text", "链主企业 链主"),
        C("lead_unit", "牵头部门", "Lead unit", "text", "牵头部门 牵头单位 链办"),
    ),
    "trip": (
        C("index", "序号", "No.", "int", "序号"),
        C("date", "日期", "Date", "date", "日期 外出日期 出发日期 外出时间 时间 出发时间 招商日期"),
        C("unit", "单位", "Unit", "text", "单位 外出单位 责任单位 单位名称"),
        C("leader", "带队领导", "Leader", "text", "带队领导 带队人 领导 带队"),
        C("is_main_leader", "主要领导", "Main leader", "bool", "是否主要领导 主要领导 主要领导带队 是否主要领导带队",
          field="main"),
        C("destination", "目的地", "Destination", "text", "目的地 外出地点 地点 外出目的地 考察地点 赴外地点"),
        C("region", "区域", "Region", "text", "区域 地区 目标区域 所属区域"),
        C("visits", "走访项目", "Visits", "int", "走访项目 走访项目数 走访企业 走访企业数 拜访企业 走访"),
        C("negotiations", "参与洽谈", "Negotiations", "int", "参与洽谈 参与洽谈数 洽谈项目 洽谈次数 洽谈 参与洽谈项目"),
        C("note", "备注", "Note", "text", "备注 说明"),
    ),
    "target": (
        C("index", "序号", "No.", "int", "序号"),
        C("campaign", "会战", "Campaign", "text", "会战 会战名称 活动名称 会战活动", export="会战名称"),
        C("start_on", "开始", "Start", "date", "开始日期 开始时间 起始日期 起始时间", field="start", export="开始日期"),
        C("end_on", "结束", "End", "date", "结束日期 结束时间 截止日期 截止时间", field="end", export="结束日期"),
        C("days", "天数", "Days", "int", "天数 会战天数"),
        C("unit", "责任单位", "Unit", "text", "责任单位 单位 单位名称"),
        C("metric", "指标", "Metric", "metric", "指标 指标名称", field="metric_name"),
        C("value", "目标", "Target", "int", "目标值 目标 任务数"),
    ),
    "review": (
        C("index", "序号", "No.", "int", "序号"),
        C("code", "项目编号", "Code", "code", "项目编号 项目代码 编号"),
        C("name", "项目名称", "Project", "text", "项目名称 项目"),
        C("criterion", "联审标准", "Criterion", "text",
          "联审标准 审查标准 联审事项 审查事项 审查内容 联审内容 评审要素 标准"),
        C("verdict", "结论", "Verdict", "verdict", "结论 联审结论 审查结论 评审结论 是否通过 联审结果 审查结果",
          export="联审结论"),
        C("reviewed_on", "联审日期", "Reviewed on", "date",
          "联审日期 联审时间 审查日期 审查时间 会审日期 会审时间 日期"),
        C("reviewer", "审查人", "Reviewer", "text", "审查人 审查单位 联审单位 审查部门 会审单位 联审部门"),
        C("note", "意见", "Note", "text", "意见 联审意见 审查意见 备注 说明", export="联审意见"),
    ),
    "problem": (
        C("index", "序号", "No.", "int", "序号"),
        C("code", "项目编号", "Code", "code", "项目编号 项目代码 编号"),
        C("name", "项目名称", "Project", "text", "项目名称 项目"),
        C("text", "存在问题", "Problem", "text", PROBLEM_WORDS + " 问题"),
        C("owner", "责任单位", "Owner", "text",
          "责任单位 牵头单位 责任部门 协调单位 牵头协调单位 协调责任单位 问题责任单位 解决单位 主责单位"),
        C("raised_on", "提出日期", "Raised", "date", "提出日期 提出时间 问题提出时间 发现时间 交办时间 交办日期"),
        C("due_on", "解决时限", "Due", "date", DUE_WORDS),
        C("resolved_on", "解决日期", "Resolved", "date", RESOLVED_WORDS, export="办结时间", optional=True),
        C("resolution", "解决情况", "Resolution", "text", RESOLUTION_WORDS, optional=True),
    ),
    "criterion": (
        C("sort_order", "序号", "Order", "int", "序号 排序 顺序", field="order"),
        C("name", "联审标准", "Criterion", "text", "联审标准 审查标准 标准名称 名称"),
        C("valid_from", "启用日期", "From", "date", "启用日期 生效日期 启用时间 起用日期"),
        C("valid_until", "停用日期", "Until", "date", "停用日期 失效日期 停用时间 废止日期"),
    ),
    # 实际到位资金 month by month, one row a project, month and source (as `zs export` writes it)
    "funds": (
        C("code", "项目编号", "Code", "code", "项目编号 项目代码 编号"),
        C("name", "项目名称", "Project", "text", "项目名称 项目"),
        C("month", "月份", "Month", "text", "月份 到位月份 年月"),
        C("source", "来源", "Source", "text", "资金来源 来源 到位资金来源"),
        C("amount_wan", "当月到位资金（万元）", "Funds (10k CNY)", "int", "当月到位资金 到位资金 当月到位",
          field="amount"),
        C("amount_usd_wan", "当月到位外资（万美元）", "Foreign (10k USD)", "usd", "当月到位外资 到位外资",
          field="amount_usd"),
    ),
    "stage_word": (
        C("word", "阶段词", "Word", "text", "阶段词 台账用词 用词"),
        C("stage", "对应阶段", "Stage", "stage", "对应阶段"),
    ),
    "setting": (
        C("key", "设置项", "Key", "text", "设置项"),
        C("value", "设置值", "Value", "text", "设置值"),
    ),
}

# A targets sheet has a column per report metric (DESIGN §4): the metric keys, their Chinese labels
# (METRIC_ZH) and the words clerks head them with.
METRIC_ALIASES: dict[str, str] = {
    "new_planned": "谋划 新谋划 新谋划项目 谋划项目",
    "new_leads": "线索 新增线索 新增项目线索 项目线索 线索数",
    "new_signed": "签约 新签约 新签约项目 签约项目 新签约项目数 签约项目数",
    "new_signed_wan": "签约额 签约金额 新签约金额 新签约投资额 签约投资额",
    "new_started": "开工 新开工 新开工或具备开工条件 新开工或具备开工条件项目 新开工项目 开工项目 "
                   "新开工(具备开工条件)项目 开工或具备开工条件",
    "new_started_wan": "开工额 开工金额 新开工金额 新开工投资额",
    "new_producing": "投产 新投产 新投产项目 投产项目",
    "trips": "外出 外出招商 外出招商次数",
    "main_leader_trips": "主要领导外出 主要领导外出招商",
    "trip_visits": "走访 走访项目",
    "trip_negotiations": "洽谈 参与洽谈",
    "new_registered": "入库 入库纳统 入库纳统项目",
    "funds_wan": "到位资金 实际到位资金",
    "funds_usd_wan": "到位外资 实际到位外资",
}


def ledger_column(sheet: str, key: str) -> LedgerColumn:
    """The catalogue's column `key` of a kind of sheet."""
    for column in CATALOGUE[sheet]:
        if column.key == key:
            return column
    raise KeyError(f"{sheet}.{key}")


def aliases(sheet: str) -> dict[str, str]:
    """The import's field keys of a kind of sheet, each with its header words, in lookup order."""
    return {c.import_key: c.aliases for c in CATALOGUE[sheet] if c.aliases}


def export_columns(sheet: str, keys: str) -> list[Col]:
    """The columns `zs export` writes for a kind of sheet, in the order `keys` (space-separated) names."""
    return [ledger_column(sheet, key).export_col() for key in keys.split()]


def metric_column(metric: str) -> Col:
    """A targets sheet's column of one metric, as `zs export` writes it (money in 亿元)."""
    money = metric.endswith("_wan") and not metric.endswith("usd_wan")
    unit = "（亿元）" if money else "（万美元）" if metric.endswith("usd_wan") else ""
    return Col(metric, METRIC_ZH[metric] + unit, metric, "yi" if money else "int")
