"""Campaigns (会战, or a year's 年度目标) and their per-unit targets."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, Conflict, NotFound
from zhaoshang.models import Campaign, Target, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import find_unit
from zhaoshang.vocabulary.labels import METRIC_ZH

METRICS = METRIC_ZH
MONEY_METRICS = frozenset(k for k in METRICS if k.endswith("_wan") and not k.endswith("usd_wan"))  # 人民币
_METRIC_WORDS = {v: k for k, v in METRICS.items()} | {
    "签约": "new_signed", "开工": "new_started", "线索": "new_leads", "谋划": "new_planned",
    "投产": "new_producing", "签约额": "new_signed_wan", "签约金额": "new_signed_wan",
    "开工额": "new_started_wan", "外出": "trips", "走访": "trip_visits", "洽谈": "trip_negotiations",
    "到位资金": "funds_wan", "实际到位资金": "funds_wan", "到位外资": "funds_usd_wan", "入库": "new_registered",
    "入库纳统": "new_registered",
}


def parse_metric(value: str) -> str:
    text = value.strip()
    metric = text if text in METRICS else _METRIC_WORDS.get(text)
    if metric is None:
        raise BadValue(f"指标“{value}”无效。", f"可用：{', '.join(METRICS)}。")
    return metric


def get_campaign(session: Session, name: str) -> Campaign:
    campaign = session.exec(select(Campaign).where(Campaign.name == name.strip())).first()
    if campaign is None:
        raise NotFound(f"会战“{name}”不存在。", "用 zs campaign list 查看。")
    return campaign


def create_campaign(ctx: Ctx, name: str, start_on: dt.date, *, end_on: dt.date | None = None,
                    days: int | None = None, rules_version: str | None = None, rules: str | None = None) -> Campaign:
    """Day 1 is the start date: 100 days from 2023-04-15 end on 2023-07-23 inclusive. The campaign
    keeps the scoring rules it is scored by (their version and text)."""
    name = name.strip()
    if not name:
        raise BadValue("会战名称不能为空。")
    if (end_on is None) == (days is None):
        raise BadValue("请给出 --end 或 --days 之一。")
    if days is not None:
        if days < 1:
            raise BadValue(f"天数 {days} 无效。")
        end_on = start_on + dt.timedelta(days=days - 1)
    assert end_on is not None
    if end_on < start_on:
        raise BadValue(f"结束日期 {end_on} 早于开始日期 {start_on}。")
    if ctx.session.exec(select(Campaign.id).where(Campaign.name == name)).first():
        raise Conflict(f"会战“{name}”已存在。")
    campaign = Campaign(name=name, start_on=start_on, end_on=end_on, rules_version=rules_version, rules=rules)
    ctx.session.add(campaign)
    ctx.session.flush()
    audit.record_insert(ctx, "campaign", campaign)
    return campaign


def set_target(ctx: Ctx, campaign: str, unit: str, metric: str, value: int) -> tuple[Target, bool]:
    """Create or change one target. Returns the target and whether anything changed."""
    if value < 0:
        raise BadValue(f"目标值 {value} 不能为负数。")
    camp = get_campaign(ctx.session, campaign)
    unit_row = find_unit(ctx, unit)
    target = ctx.session.exec(
        select(Target).where(Target.campaign_id == camp.id, Target.unit_id == unit_row.id, Target.metric == metric)
    ).first()
    if target is None:
        target = Target(campaign_id=camp.id, unit_id=unit_row.id, metric=metric, value=value)  # type: ignore[arg-type]
        ctx.session.add(target)
        ctx.session.flush()
        audit.record_insert(ctx, "target", target)
        return target, True
    return target, bool(audit.apply_changes(ctx, "target", target, {"value": value}))


def set_rules(ctx: Ctx, name: str, version: str, text: str) -> bool:
    """Change the scoring rules a campaign is scored by. Returns whether anything changed."""
    camp = get_campaign(ctx.session, name)
    return bool(audit.apply_changes(ctx, "campaign", camp, {"rules_version": version, "rules": text}))


def list_campaigns(session: Session) -> list[dict]:
    campaigns = session.exec(select(Campaign).order_by(Campaign.start_on, Campaign.id)).all()
    counts: dict[int, int] = {}
    for campaign_id in session.exec(select(Target.campaign_id)).all():
        counts[campaign_id] = counts.get(campaign_id, 0) + 1
    return [
        {"name": c.name, "start_on": c.start_on.isoformat(), "end_on": c.end_on.isoformat(),
         "days": (c.end_on - c.start_on).days + 1, "targets": counts.get(c.id, 0),  # type: ignore[arg-type]
         "rules_version": c.rules_version}
        for c in campaigns
    ]


def list_targets(session: Session, campaign: str) -> list[dict]:
    camp = get_campaign(session, campaign)
    rows = session.exec(
        select(Target, Unit.name).join(Unit, col(Unit.id) == Target.unit_id)
        .where(Target.campaign_id == camp.id).order_by(Unit.sort_order, Unit.id, Target.metric)
    ).all()
    return [{"campaign": camp.name, "unit": unit, "metric": t.metric, "value": t.value} for t, unit in rows]
