"""Chinese labels of the keys used in code and JSON: roles, unit kinds, report metrics, milestone kinds,
audited entities and fields, the sheet kinds an import reads, and the states of a problem."""

from __future__ import annotations

ROLE_ZH = {"admin": "管理员", "clerk": "填报员", "viewer": "只读"}
UNIT_KIND_ZH = {"town": "镇街", "department": "部门", "soe": "国企", "leadership": "区领导", "other": "其他"}

# The report metric keys (DESIGN §4) a target can name, with their Chinese labels.
METRIC_ZH = {
    "new_planned": "新谋划项目",
    "new_leads": "新增项目线索",
    "new_signed": "新签约项目",
    "new_signed_wan": "新签约金额",
    "new_started": "新开工或具备开工条件",
    "new_started_wan": "新开工金额",
    "new_producing": "新投产项目",
    "trips": "外出招商",
    "main_leader_trips": "主要领导外出招商",
    "trip_visits": "走访项目",
    "trip_negotiations": "参与洽谈",
    "new_registered": "入库纳统项目",
    "funds_wan": "实际到位资金",
    "funds_usd_wan": "实际到位外资",
}

MILESTONE_ZH = {
    "planned": "谋划", "lead": "线索", "negotiating": "在谈", "signed": "签约", "ready": "具备开工条件",
    "started": "开工", "producing": "投产", "terminated": "终止",
    "groundbreaking": "奠基", "capacity": "达产", "completion": "竣工", "visit": "走访", "other": "其他",
    "registered": "入库纳统",
}

ENTITY_ZH = {
    "project": "项目", "milestone": "节点", "trip": "外出招商", "target": "目标", "campaign": "会战",
    "unit": "单位", "chain": "产业链", "review": "联审", "problem": "问题", "user": "用户",
    "review_criterion": "联审标准", "setting": "设置", "trip_project": "外出招商走访", "progress_note": "进展",
    "unit_return": "报表", "leader": "包保领导", "project_leader": "包保领导", "project_support": "配合单位",
    "investment_plan": "年度计划投资", "investment_done": "完成投资", "funds": "到位资金",
}
FIELD_ZH = {
    "code": "项目编号", "name": "名称", "investor": "投资方", "investment_wan": "总投资(万元)",
    "investment_usd_wan": "外资(万美元)", "chain_id": "产业链", "unit_id": "责任单位", "source_region": "来源地",
    "marshal": "挂帅", "stage": "阶段", "sector": "产业类别", "progress": "进展", "note": "备注",
    "done": "完成", "done_on": "完成时间", "planned_on": "计划时间", "precision": "日期精度", "value": "目标值",
    "text": "问题", "owner_unit_id": "责任单位", "raised_on": "提出时间", "due_on": "解决时限",
    "resolved_on": "解决时间", "resolution": "解决情况", "verdict": "结论", "criterion": "联审标准",
    "reviewer": "审查人", "sort_order": "排序", "valid_from": "启用日期", "valid_until": "停用日期",
    "review_gate": "联审把关", "date": "日期", "leader": "负责人", "is_main_leader": "主要领导带队",
    "destination": "目的地", "region": "区域", "visits": "走访项目", "negotiations": "参与洽谈",
    "kind": "类别", "unit_class": "分类", "chief": "链长", "anchor_firm": "链主企业", "lead_unit_id": "牵头部门",
    "next_step": "下步计划", "week": "周次", "status": "状态", "scope": "建设内容及规模",
    "plan_wan": "年度计划投资(万元)", "amount_wan": "完成投资(万元)", "tuijin": "推进表", "title": "职务",
}

# The kinds of sheet a workbook holds, as an import names them.
SHEET_KIND_ZH = {"project": "项目", "milestone": "项目节点", "unit": "责任单位", "chain": "产业链", "trip": "外出招商",
                 "target": "会战目标", "stage_word": "阶段词", "setting": "账本设置", "review": "联审",
                 "problem": "问题协调", "criterion": "联审标准", "funds": "到位资金"}

# The state of a problem at a date.
PROBLEM_STATUS_ZH = {"open": "未解决", "overdue": "逾期", "resolved": "已解决"}
