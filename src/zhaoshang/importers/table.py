"""Finding the table in a sheet: the header row (or two-row merged header) by content, the columns by
their aliases, and what the title and banner rows above it say (unit of money, year, 填报单位).

A header cell is normalised before it is looked up: full-width to half-width, white space and line
breaks removed, a leading * dropped, and a bracketed or trailing unit (（亿元）, /万元, 万美元) taken
out as the column's unit. A two-row header is flattened column by column: the lower cell if it names
a column, else the group label above it joined with it (时间节点 over 签约 → 签约时间), else the upper
cell. A user's mapping file (--map, TOML) names columns the aliases do not know.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhaoshang.errors import BadValue
from zhaoshang.labels import METRIC_ZH
from zhaoshang.parsing import STAGE_DATE_KEY, normalize_text

HEAD_ROWS = 30  # the header must start within the first 30 rows

# Field keys of a project sheet: these are also the keys a --map file may name.
DATE_FIELDS = tuple(STAGE_DATE_KEY.values())  # planned_on, lead_on, …, terminated_on
DATE_FIELD_STAGE = {v: k for k, v in STAGE_DATE_KEY.items()}
PLAN_FIELDS = {"plan_signed_on": "signed", "plan_ready_on": "ready", "plan_started_on": "started",
               "plan_produced_on": "producing"}

# 存在问题 columns, in a project sheet (with owner and deadline beside them) or a sheet of their own.
PROBLEM_WORDS = ("存在问题 问题和建议 需协调事项 困难问题 存在困难 存在的问题 困难和问题 问题及建议 存在问题及建议 "
                 "需协调解决的问题 需协调解决事项 需要协调的问题 需协调问题 需协调解决问题 协调事项 困难问题及建议 "
                 "存在困难问题 存在问题和困难 问题内容 问题描述 具体问题")
DUE_WORDS = "解决时限 完成时限 办结时限 时限要求 解决期限 办结期限 要求完成时间 计划解决时间 时限"
RESOLVED_WORDS = "解决日期 实际解决时间 办结时间 办结日期 解决完成时间 实际办结时间"
RESOLUTION_WORDS = "解决情况 办理情况 办结情况 问题解决情况 办理结果 落实情况 协调情况 解决进展 协调解决情况"
# The project-sheet fields that describe its 存在问题 column.
PROBLEM_FIELDS = ("problem_owner", "problem_raised_on", "problem_due_on", "problem_resolved_on",
                  "problem_resolution")

_ALIASES: dict[str, dict[str, str]] = {
    "project": {
        "index": "序号 序 排序 no",
        "code": "项目编号 项目代码 项目id 项目号 编号 项目统一代码 项目库编号",
        "name": "项目名称 项目 名称 线索名称 项目线索 项目线索名称 谋划项目名称 谋划项目 项目简称 签约项目名称 "
                "在谈项目名称 项目名称及建设内容 项目名称及主要建设内容 项目名称和建设内容",
        "investor": "投资方 签约企业 投资主体 投资企业 投资商 意向投资方 意向企业 投资方名称 签约主体 客商 "
                    "客商名称 企业名称 建设单位 项目单位 签约方 合作方",
        "amount": "总投资 计划总投资 投资额 投资总额 总投资额 预计投资 预计总投资 拟投资 估算投资 计划投资 协议投资 "
                  "协议投资额 签约金额 项目总投资 投资规模 预计投资额 估算总投资 合同金额 合同投资额 拟投资额 "
                  "意向投资额 计划投资额 签约投资额",
        "amount_usd": "外资 利用外资 外资金额 其中外资 合同外资 外资额 外商投资",
        "chain": "所属产业链 产业链 产业链条 链条 所属链条",
        "chain_or_sector": "产业类别 产业类型 行业类别 所属行业 行业 产业 所属产业",
        "unit": "责任单位 牵头单位 责任部门 所属镇街 镇街 属地 落地镇街 包保单位 承办单位 主责单位 推进单位 "
                "属地单位 责任主体 对接单位 招引单位 引进单位 跟进单位",
        "stage": "项目状态 项目阶段 所处阶段 阶段 状态 跟进状态 推进阶段 目前状态 当前阶段",
        "progress": "进展情况 本周进展 项目进展情况 项目进展 推进情况 最新进展 目前进展 进度情况 工作进展 "
                    "推进情况及存在问题 洽谈进度 洽谈进展 洽谈情况 跟进情况 对接情况 对接进展",
        "marshal": "挂帅项目 是否挂帅 是否挂帅项目 挂帅 是否为挂帅项目",
        "source_region": "来源地 项目来源地 投资方所在地 客商来源地 来源地区 投资方来源地",
        "note": "备注 说明",
        "planned_on": "谋划时间 谋划日期",
        "lead_on": "线索时间 获取时间 线索获取时间 获取日期 收集时间 首次对接时间 对接时间 线索日期",
        "negotiating_on": "洽谈时间 在谈时间 首次洽谈时间 开始洽谈时间 洽谈日期",
        "signed_on": "签约时间 签约日期 协议签订时间 签订时间 签约时间节点",
        "ready_on": "具备开工条件时间 具备开工条件日期",
        "started_on": "开工时间 开工日期 实际开工时间 开工时间节点",
        "produced_on": "投产时间 投产日期 竣工投产时间 实际投产时间 投产时间节点",
        "terminated_on": "终止时间 终止日期",
        "plan_signed_on": "计划签约时间 预计签约时间 拟签约时间",
        "plan_ready_on": "计划具备开工条件时间 预计具备开工条件时间",
        "plan_started_on": "计划开工时间 预计开工时间 拟开工时间 计划开工日期",
        "plan_produced_on": "计划投产时间 预计投产时间 拟投产时间 计划投产日期",
        # 存在问题 and what stands beside it (see PROBLEM_FIELDS)
        "problem": PROBLEM_WORDS,
        "problem_owner": "协调单位 牵头协调单位 协调责任单位 问题责任单位 问题责任部门 解决单位 协调部门",
        "problem_raised_on": "提出时间 提出日期 问题提出时间 发现时间 交办时间 交办日期",
        "problem_due_on": DUE_WORDS,
        "problem_resolved_on": RESOLVED_WORDS,
        "problem_resolution": RESOLUTION_WORDS,
    },
    "milestone": {
        "code": "项目编号 项目代码 编号",
        "name": "项目名称 项目",
        "kind": "节点 节点类型 节点名称 里程碑",
        "planned": "计划时间 计划日期 计划完成时间 计划完成日期",
        "done": "是否完成 已完成 完成情况",
        "done_on": "完成时间 完成日期 实际完成时间",
        "note": "备注 说明",
    },
    "unit": {
        "order": "序号 排序 顺序 官方排序",
        "name": "责任单位 单位名称 单位 名称 单位全称",
        "kind": "类别 单位类别 单位类型 类型",
        "class": "分类 考核分类 考核类别 档次 单位分类",
        "leader": "负责人 主要负责人 领导 单位负责人",
    },
    "chain": {
        "order": "序号 排序",
        "name": "产业链 产业链名称 链条 名称",
        "chief": "链长",
        "anchor_firm": "链主企业 链主",
        "lead_unit": "牵头部门 牵头单位 链办",
    },
    "trip": {
        "index": "序号",
        "date": "日期 外出日期 出发日期 外出时间 时间 出发时间 招商日期",
        "unit": "单位 外出单位 责任单位 单位名称",
        "leader": "带队领导 带队人 领导 带队",
        "main": "是否主要领导 主要领导 主要领导带队 是否主要领导带队",
        "destination": "目的地 外出地点 地点 外出目的地 考察地点 赴外地点",
        "region": "区域 地区 目标区域 所属区域",
        "visits": "走访项目 走访项目数 走访企业 走访企业数 拜访企业 走访",
        "negotiations": "参与洽谈 参与洽谈数 洽谈项目 洽谈次数 洽谈 参与洽谈项目",
        "note": "备注 说明",
    },
    "target": {
        "index": "序号",
        "campaign": "会战 会战名称 活动名称 会战活动",
        "start": "开始日期 开始时间 起始日期 起始时间",
        "end": "结束日期 结束时间 截止日期 截止时间",
        "days": "天数 会战天数",
        "unit": "责任单位 单位 单位名称",
        "metric_name": "指标 指标名称",
        "value": "目标值 目标 任务数",
    },
    "review": {
        "index": "序号",
        "code": "项目编号 项目代码 编号",
        "name": "项目名称 项目",
        "criterion": "联审标准 审查标准 联审事项 审查事项 审查内容 联审内容 评审要素 标准",
        "verdict": "结论 联审结论 审查结论 评审结论 是否通过 联审结果 审查结果",
        "reviewed_on": "联审日期 联审时间 审查日期 审查时间 会审日期 会审时间 日期",
        "reviewer": "审查人 审查单位 联审单位 审查部门 会审单位 联审部门",
        "note": "意见 联审意见 审查意见 备注 说明",
    },
    "problem": {
        "index": "序号",
        "code": "项目编号 项目代码 编号",
        "name": "项目名称 项目",
        "text": PROBLEM_WORDS + " 问题",
        "owner": "责任单位 牵头单位 责任部门 协调单位 牵头协调单位 协调责任单位 问题责任单位 解决单位 主责单位",
        "raised_on": "提出日期 提出时间 问题提出时间 发现时间 交办时间 交办日期",
        "due_on": DUE_WORDS,
        "resolved_on": RESOLVED_WORDS,
        "resolution": RESOLUTION_WORDS,
    },
    "criterion": {
        "order": "序号 排序 顺序",
        "name": "联审标准 审查标准 标准名称 名称",
        "valid_from": "启用日期 生效日期 启用时间 起用日期",
        "valid_until": "停用日期 失效日期 停用时间 废止日期",
    },
    "stage_word": {"word": "阶段词 台账用词 用词", "stage": "对应阶段"},
    "setting": {"key": "设置项", "value": "设置值"},
}
# Report metric columns of a targets sheet (the metric keys, their labels and clerks' words).
_METRIC_ALIASES: dict[str, str] = {
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
}
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    # every group must have one of its fields
    "project": (("name",),),
    "milestone": (("kind",), ("code", "name"), ("planned", "done", "done_on")),
    "unit": (("name",), ("kind", "class", "leader")),
    "chain": (("name",), ("chief", "anchor_firm", "lead_unit")),
    "trip": (("date",), ("destination", "visits", "negotiations")),
    "target": (("unit", "campaign"),),
    "review": (("criterion",), ("verdict",), ("code", "name")),
    "problem": (("text",), ("code", "name")),
    "criterion": (("name",), ("valid_from", "valid_until", "order")),
    "stage_word": (("word",), ("stage",)),
    "setting": (("key",), ("value",)),
}
KINDS = tuple(_ALIASES)
# Sheet names that say what a sheet holds.
SHEET_HINTS: tuple[tuple[str, str], ...] = (
    ("阶段词", "stage_word"), ("设置", "setting"), ("联审标准", "criterion"), ("审查标准", "criterion"),
    ("联审", "review"), ("问题", "problem"), ("节点", "milestone"), ("里程碑", "milestone"),
    ("外出", "trip"), ("目标", "target"), ("产业链", "chain"), ("单位", "unit"),
)
NOTE_SHEETS = ("说明", "填报说明", "填表说明", "封面", "目录", "注意事项", "填报要求", "readme")
UNIT_WORDS = {"亿元": "亿元", "亿": "亿元", "万元": "万元", "万": "万元", "万美元": "万美元"}
_UNIT_IN = re.compile(r"(万美元|亿元|万元|亿|万)")
_BRACKET = re.compile(r"[(\[【〔{<《]([^)\]】〕}>》]*)[)\]】〕}>》]")
_SUFFIX_UNIT = re.compile(r"[/／]?(万美元|亿元|万元)$")


# The user-facing keys a --map file may name, with the Chinese words for them.
MAP_KEYS: dict[str, str] = {
    "investment": "amount", "investment_wan": "amount", "investment_usd_wan": "amount_usd",
    "总投资": "amount", "外资": "amount_usd", "忽略": "ignore", "ignore": "ignore",
}


@dataclass(frozen=True)
class HeaderText:
    base: str  # normalised, unit and brackets removed
    unit: str | None


def header_text(value: Any) -> HeaderText:
    """Normalise a header cell: 总投资（亿元） → (总投资, 亿元); 计划总投资/万元 → (计划总投资, 万元)."""
    if value is None or value == "":
        return HeaderText("", None)
    text = normalize_text(str(value)).lstrip("*★※")
    text = text.rstrip(":：")
    unit = None
    for inner in _BRACKET.findall(text):
        if m := _UNIT_IN.search(inner):
            unit = UNIT_WORDS[m.group(1)]
    base = _BRACKET.sub("", text)
    if m := _SUFFIX_UNIT.search(base):
        unit = unit or UNIT_WORDS[m.group(1)]
        base = base[: m.start()] or base
    base = base.removeprefix("其中:").removeprefix("其中")
    return HeaderText(base.lower(), unit)


_LOOKUP: dict[str, dict[str, str]] = {}


def _lookups() -> dict[str, dict[str, str]]:
    if not _LOOKUP:
        for kind, fields in _ALIASES.items():
            _LOOKUP[kind] = {header_text(a).base: name for name, aliases in fields.items() for a in aliases.split()}
        for metric, words in _METRIC_ALIASES.items():
            for word in [*words.split(), METRIC_ZH[metric], metric]:
                _LOOKUP["target"].setdefault(header_text(word).base, f"metric:{metric}")
    return _LOOKUP


@dataclass
class Header:
    """Where a sheet's table is and what its columns are."""

    kind: str
    top: int  # first header row (0-based, absolute)
    bottom: int  # last header row
    fields: dict[str, int]  # field -> column index in the row list
    units: dict[str, str]  # field -> unit named in its header
    labels: list[str]  # flattened header label of every column (for the errors file)
    cells: frozenset[str]  # the header rows' cell texts, to spot a repeated header row
    warnings: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len([f for f in self.fields if f != "index"])


@dataclass
class Banner:
    """What the rows above the header say."""

    title: str | None = None
    year: int | None = None
    unit: str | None = None  # 单位：万元
    reporting_unit: str | None = None  # 填报单位：XX
    years_ambiguous: bool = False  # the title names two years (2023—2024年度)


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_ANY = re.compile(r"((?:19|20)\d{2})\s*(?=年|[—–\-~～至到]\s*(?:19|20)\d{2}\s*年)")
_MONEY_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万美元|亿元|万元|亿|万)")
# 填报单位：税郭镇, 填报单位（盖章）：税郭镇, 填报单位：税郭镇（盖章） (after NFKC: half-width brackets)
_REPORTING = re.compile(r"填报单位\s*(?:\(\s*(?:盖章|公章|签章|章)\s*\))?\s*[:：]\s*([^\s:：,，;；()]+)")


def read_banner(rows: Iterable[list[Any]], banner: Banner | None = None) -> Banner:
    banner = banner or Banner()
    for row in rows:
        for value in row:
            if not isinstance(value, str) or not value.strip():
                continue
            text = unicodedata.normalize("NFKC", value).strip()
            if banner.title is None and len(text) >= 4 and not _MONEY_UNIT.search(text):
                banner.title = text
            years = {int(y) for y in _YEAR_ANY.findall(text)}
            if banner.year is None and not banner.years_ambiguous and years:
                if len(years) == 1:
                    banner.year = years.pop()
                else:  # 2023—2024年度: which year a 12月26日 is cannot be told; --year says
                    banner.years_ambiguous = True
            if banner.unit is None and (m := _MONEY_UNIT.search(text)):
                banner.unit = UNIT_WORDS[m.group(1)]
            if banner.reporting_unit is None and (m := _REPORTING.search(text)):
                banner.reporting_unit = m.group(1)
    return banner


def _lookup(kind: str, text: HeaderText, user_map: dict[str, str]) -> str | None:
    if not text.base:
        return None
    if text.base in user_map:
        return user_map[text.base]
    found = _lookups()[kind].get(text.base)
    if found is None and kind == "project" and _PROBLEM_LIKE.match(text.base):
        return "problem"  # 存在问题及需协调事项, 需协调解决的困难和问题 …: the words vary without end
    return found


_PROBLEM_LIKE = re.compile(r"^(?:存在(?:的)?问题|需(?:要)?协调)[^时期限日单位人]*$")


Candidate = tuple[str, HeaderText]  # (the header text as a clerk would type it, normalised)


def _flatten(upper: list[Any], lower: list[Any], width: int, group: dict[int, str]
             ) -> list[tuple[str, list[Candidate]]]:
    """Per column: its display label and the candidate header texts, best first."""
    out: list[tuple[str, list[Candidate]]] = []
    for j in range(width):
        up = upper[j] if j < len(upper) else ""
        lo = lower[j] if j < len(lower) else ""
        up_text = "" if up is None else str(up).strip()
        lo_text = "" if lo is None else str(lo).strip()
        if not up_text and j in group:
            up_text = group[j]
        if not lo_text or not up_text:
            text = lo_text or up_text
            out.append((text, [(text, header_text(text))]))
            continue
        lo_h, up_h = header_text(lo_text), header_text(up_text)
        candidates: list[Candidate] = [(lo_text, lo_h)]
        if lo_h.base in UNIT_WORDS or (not lo_h.base and lo_h.unit):
            unit = UNIT_WORDS.get(lo_h.base, lo_h.unit)
            candidates = [(f"{up_text}（{unit}）", HeaderText(up_h.base, unit))]
        candidates.append((up_text + lo_text, header_text(up_text + lo_text)))
        if "时间" in up_h.base or "节点" in up_h.base or "日期" in up_h.base:
            candidates.append((lo_text + "时间", HeaderText(lo_h.base + "时间", lo_h.unit)))
        candidates.append((up_text, HeaderText(up_h.base, up_h.unit or lo_h.unit)))
        out.append((f"{up_text}/{lo_text}", candidates))
    return out


def _group_labels(upper: list[Any], lower: list[Any], row: int, merged: list, col_offset: int,
                  width: int) -> dict[int, str]:
    """A group label spans the columns of its merged range; without merge information (csv, ods),
    it spans the empty upper cells to its right whose lower cells are filled."""
    labels: dict[int, str] = {}
    if merged:
        for (r0, c0), (r1, c1) in merged:
            if r0 <= row <= r1 and c1 > c0:
                first = c0 - col_offset
                if 0 <= first < len(upper) and str(upper[first]).strip():
                    for j in range(max(first + 1, 0), min(c1 - col_offset + 1, width)):
                        labels[j] = str(upper[first]).strip()
        return labels
    current = None
    for j in range(width):
        up = str(upper[j]).strip() if j < len(upper) and upper[j] is not None else ""
        lo = str(lower[j]).strip() if j < len(lower) and lower[j] is not None else ""
        if up:
            current = up if lo else None
        elif current and lo:
            labels[j] = current
        else:
            current = None
    return labels


def _match(kind: str, cols: list[tuple[str, list[Candidate]]], user_map: dict[str, str],
           hidden: frozenset[int]) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    """Fields found, their units, each column's label (the text that matched), warnings."""
    fields: dict[str, int] = {}
    units: dict[str, str] = {}
    labels: list[str] = []
    warnings: list[str] = []
    matched: list[tuple[str | None, str | None]] = []
    for label, candidates in cols:
        found, unit = None, None
        for raw, cand in candidates:
            found = _lookup(kind, cand, user_map)
            if found:
                unit, label = cand.unit, raw
                break
        labels.append(label)
        matched.append((found, unit))
    if kind == "project":
        _problem_owner(matched)
    for j, (found, unit) in enumerate(matched):
        label = labels[j]
        if not found or found == "ignore":
            continue
        if found == "problem" and "problem" in fields and "problem_extra" not in fields and j not in hidden:
            fields["problem_extra"] = j  # 存在问题 and 需协调事项 side by side: both are problems
            continue
        if found in fields:
            keep = fields[found]
            if keep in hidden and j not in hidden:
                fields[found] = j
                if unit:
                    units[found] = unit
            warnings.append(f"“{label}”与第 {min(keep, j) + 1} 列重复，按 {_letter(fields[found])} 列读取")
            continue
        fields[found] = j
        if unit:
            units[found] = unit
    unknown = [labels[j] for j, (found, _) in enumerate(matched)  # 错误原因: the column --errors adds
               if found is None and j not in hidden and str(labels[j]).strip() and labels[j] != "错误原因"]
    if kind == "project" and unknown:
        warnings.append(f"未识别的列（未导入）：{'、'.join(unknown)}；可用 --map 文件指定")
    if kind == "project" and "chain_or_sector" in fields:
        col = fields.pop("chain_or_sector")
        target = "sector" if "chain" in fields else "chain"
        fields[target] = col
    return fields, units, labels, warnings


def _problem_owner(matched: list[tuple[str | None, str | None]]) -> None:
    """A 责任单位 column standing beside a 存在问题 column (in the run of problem columns right after
    it: 存在问题 | 责任单位 | 解决时限) names the problem's owner when another 责任单位 column names the
    project's unit. The only 责任单位 column of a sheet stays the project's unit (a problem without an
    owner of its own belongs to its project's unit)."""
    found = [f for f, _ in matched]
    if "problem" not in found:
        return
    start = found.index("problem")
    run = []
    for j in range(start + 1, len(found)):
        if found[j] not in ("unit", *PROBLEM_FIELDS):
            break
        run.append(j)
    beside = [j for j in run if found[j] == "unit"]
    elsewhere = [j for j, f in enumerate(found) if f == "unit" and j not in run]
    if beside and elsewhere and "problem_owner" not in found:
        matched[beside[0]] = ("problem_owner", matched[beside[0]][1])


def _letter(j: int) -> str:
    from zhaoshang.importers.reading import column_letter

    return column_letter(j)


def _complete(kind: str, fields: dict[str, int]) -> bool:
    if not all(any(f in fields for f in group) for group in REQUIRED[kind]):
        return False
    if kind == "project":
        return len([f for f in fields if f not in ("index", "name")]) >= 1
    if kind == "target":
        return any(f.startswith("metric:") for f in fields) or {"metric_name", "value"} <= set(fields) or \
            {"campaign", "start"} <= set(fields)
    return True


def find_header(head: list[tuple[int, list[Any]]], kinds: Iterable[str], *, merged: list | None = None,
                col_offset: int = 0, user_map: dict[str, str] | None = None,
                hidden: frozenset[int] = frozenset()) -> Header | None:
    """The best header among the first rows, for the best of `kinds` (None when nothing fits)."""
    user_map = user_map or {}
    merged = merged or []
    best: tuple[tuple[int, int, int], Header] | None = None
    rows = head[:HEAD_ROWS + 1]
    width = max((len(r) for _, r in rows), default=0)
    for i, (row_no, row) in enumerate(rows):
        if not any(v not in ("", None) for v in row):
            continue
        shapes: list[tuple[int, list]] = [(row_no, _flatten(row, [], width, {}))]
        if i + 1 < len(rows) and rows[i + 1][0] == row_no + 1:
            lower = rows[i + 1][1]
            group = _group_labels(row, lower, row_no, merged, col_offset, width)
            shapes.append((row_no + 1, _flatten(row, lower, width, group)))
        for bottom, cols in shapes:
            for kind in kinds:
                fields, units, labels, warnings = _match(kind, cols, user_map, hidden)
                if not _complete(kind, fields):
                    continue
                texts = {str(v).strip() for r in ([row, rows[i + 1][1]] if bottom > row_no else [row])
                         for v in r if isinstance(v, str) and v.strip()}
                header = Header(kind, row_no, bottom, fields, units, labels, frozenset(texts), warnings)
                rank = (header.score, -(bottom - row_no), -row_no)
                if best is None or rank > best[0]:
                    best = (rank, header)
    return best[1] if best else None


# Words that mark a sheet of instructions or of example rows, wherever they stand in its name.
NOTE_WORDS = ("说明", "须知", "示例", "样表", "模板", "范例", "填报要求", "注意事项")


def sheet_hint(name: str) -> str | None:
    text = normalize_text(name)
    if any(text.lower() == n or text.lower().startswith(n) for n in NOTE_SHEETS) or \
            any(w in text for w in NOTE_WORDS):
        return "notes"
    for word, kind in SHEET_HINTS:
        if word in text:
            return kind
    return None


def load_map(path: str | Path) -> tuple[dict[str, str], dict[str, str]]:
    """A --map file (TOML): [columns] "表头" = "field key", [stages] "台账用词" = "stage".

    Returns (header base -> field, stage word -> stage key)."""
    import tomllib

    from zhaoshang.parsing import parse_stage

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BadValue(f"--map 文件不存在：{path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadValue(f"--map {path.name} 不是有效的 TOML：{exc}") from None
    known = {f for fields in _ALIASES.values() for f in fields} | set(MAP_KEYS)
    columns: dict[str, str] = {}
    for header, key in (data.get("columns") or {}).items():
        target = MAP_KEYS.get(str(key), str(key))
        if target not in known:
            raise BadValue(f"--map {path.name}：列“{header}”对应的“{key}”不是已知字段。",
                           f"可用：{', '.join(sorted(k for k in known if k not in ('index',)))}。")
        columns[header_text(header).base] = target
    stages: dict[str, str] = {}
    for word, stage in (data.get("stages") or {}).items():
        try:
            stages[normalize_text(word)] = parse_stage(stage)
        except ValueError as exc:
            raise BadValue(f"--map {path.name}：{exc}") from None
    return columns, stages
