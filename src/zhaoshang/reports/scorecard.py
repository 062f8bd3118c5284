"""会战成绩单: per unit and metric — actual within [start, min(as-of, end)], target, completion; time
progress; ahead or behind (时间过半、任务超半); score and rank; and `explain`, every term of one unit's
score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from zhaoshang.errors import NotFound
from zhaoshang.reports import common, compare, metrics, periods, prose
from zhaoshang.reports.model import Report, Section
from zhaoshang.reports.periods import zh_day
from zhaoshang.reports.prose import en_count, yi
from zhaoshang.reports.rules import Rules
from zhaoshang.reports.same_year import same_year
from zhaoshang.reports.scoring import Scoring, UnitScore, campaign_rules, default_campaign, rnd, score
from zhaoshang.services.campaigns import get_campaign
from zhaoshang.services.directory import find_unit
from zhaoshang.services.support import support_counts
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import half_up, percent

SUMMARY = {
    "new_signed": ("新签约项目(个)", "Signed"),
    "new_signed_wan": ("新签约总投资", "Signed, investment"),
    "new_started": ("新开工或具备开工条件项目(个)", "Started or ready"),
    "new_started_wan": ("新开工总投资", "Started, investment"),
    "new_leads": ("新增项目线索(条)", "New leads"),
    "new_planned": ("新谋划项目(个)", "Newly planned"),
    "marshal_projects": ("挂帅项目(个)", "Marshal projects"),
    "main_leader_trips": ("主要领导外出招商(次)", "Main-leader trips"),
    "main_leader_visits": ("主要领导走访项目(个)", "Main-leader visits"),
    "main_leader_negotiations": ("主要领导参与洽谈(次)", "Main-leader negotiations"),
}


def scoring_for(session: Session, as_of: dt.date, campaign: str | None, rules: Rules | None) -> Scoring:
    camp = get_campaign(session, campaign) if campaign else default_campaign(session, as_of)
    return score(session, common.directory(session), camp, as_of, campaign_rules(camp, rules))


def build(session: Session, as_of: dt.date, *, campaign: str | None = None, rules: Rules | None = None,
          unit: str | None = None) -> Report:
    s = scoring_for(session, as_of, campaign, rules)
    camp = s.campaign
    assert camp is not None
    # The summary sentence is the district's: ahead and behind are counted over every unit.
    ahead = sum(1 for u in s.units if u.ahead and u.rank is not None)  # the ranked units (not 区委区政府)
    behind = sum(1 for u in s.units if u.ahead is False and u.rank is not None)
    if unit is not None:  # one unit's line, with its district rank
        only = find_unit(session, unit).id
        s.units = [u for u in s.units if u.unit.id == only]
    units = [unit_json(u) for u in s.units]
    support = support_counts(session.connection(), live=True)  # 配合: credit stays with the lead unit
    if support:
        for u, j in zip(s.units, units, strict=True):
            j["support_projects"] = support.get(u.unit.id, 0)
    data = {
        "campaign": camp.name,
        "start": camp.start_on.isoformat(),
        "end": camp.end_on.isoformat(),
        "as_of": as_of.isoformat(),
        "day": s.day,
        "days": s.days,
        "time_progress": rnd(s.time_progress),
        "rules_version": s.rules.version,
        "pro_rata": False,  # scored against the full targets (the month and quarter reports: pro rata)
        "totals": s.breakdown.total,
        "units": units,
    }
    window = periods.span(camp.start_on, camp.end_on, as_of)
    compared = compare.compare(session, window)
    data.update(compared.json(s.breakdown.total, {}))
    started = same_year(session, common.directory(session), min(as_of, camp.end_on), listing=False)
    data.update(started.json())
    t = s.breakdown.total
    summary_zh = (
        f"{camp.name}（{zh_day(camp.start_on)}至{zh_day(camp.end_on)}）截至{zh_day(as_of)}：第{s.day}天/共{s.days}天，"
        f"时间进度{percent(s.time_progress)}。"
        f"全区新签约项目{t['new_signed']}个、总投资{yi(t['new_signed_wan'])}亿元，"
        f"新开工或具备开工条件项目{t['new_started']}个、总投资{yi(t['new_started_wan'])}亿元，新增项目线索{t['new_leads']}条，"
        f"挂帅项目{t['marshal_projects']}个；任务进度超过时间进度的单位{ahead}个，落后{behind}个。")
    summary_en = (
        f"{camp.name} ({camp.start_on} – {camp.end_on}) as of {as_of}: day {s.day} of {s.days}, time progress "
        f"{percent(s.time_progress)}. District: {t['new_signed']} signed worth {yi(t['new_signed_wan'])} "
        "(100M yuan), "
        f"{t['new_started']} started or ready worth {yi(t['new_started_wan'])}, "
        f"{en_count(t['new_leads'], 'new lead')}, "
        f"{en_count(t['marshal_projects'], 'marshal project')}; {en_count(ahead, 'unit')} ahead of time, "
        f"{behind} behind.")
    rows = []
    for u, j in zip(s.units, units, strict=True):
        rows.append({**j, "bar": u.progress, "ahead_label": _ahead_label(u.ahead),
                     **{f"m_{m}": _pair(m, v) for m, v in j["metrics"].items()},
                     **{f"m_{m}_{part}": v[part] for m, v in j["metrics"].items() for part in ("actual", "target")}})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    used = [m for m in metrics.SCORABLE if any(m in r["metrics"] for r in rows)]
    main = Section("units", "单位成绩", "Units", [
        Col("rank", "排名", "Rank", "int"),
        common.unit_col(),
        Col("bar", f"任务进度（┃ 时间进度 {percent(s.time_progress)}）",
            f"Task progress (┃ time {percent(s.time_progress)})", "bar"),
        Col("progress", "任务\n进度", "Task\nprogress", "pct"),
        Col("ahead_label", "时间过半\n任务超半", "On\npace", "i18n"),
        Col("score", "得分", "Score", "score"),
        Col("support_projects", "配合\n项目", "Sup-\nporting", "int", optional=True),
    ], rows, marker=s.time_progress,
        note_zh=f"得分按全部目标计：各项 min(完成 ÷ 目标, {s.rules.cap:g}) 的加权平均（评分规则 {s.rules.version}），"
                "加减分另计；月通报、季评价的序时得分按目标 × 时间进度计，与此不同。",
        note_en=f"Score against the full targets: the weighted mean of min(actual / target, {s.rules.cap:g}) "
                f"(rules {s.rules.version}) plus adjustments; the monthly and quarterly pro-rata scores differ.")
    # A terminal shows each metric as one "完成/目标" column; the files as two columns of numbers.
    detail = Section("metrics", "分指标完成情况（完成/目标，金额为亿元）",
                     "By metric (actual/target; money in 100M yuan)",
                     [common.unit_col(),
                      *(Col(f"m_{m}", common.METRIC_LABELS[m][0], common.METRIC_LABELS[m][1], "pair") for m in used),
                      *(Col(f"m_{m}_{part}", common.METRIC_LABELS[m][0].replace("\n", "") + zh,
                            common.METRIC_LABELS[m][1].replace("\n", " ") + en, common.METRIC_LABELS[m][2])
                        for m in used for part, zh, en in (("actual", "\n完成", "\nactual"),
                                                           ("target", "\n目标", "\ntarget")))],
                     rows, in_json=False, terminal=["unit", *(f"m_{m}" for m in used)])
    totals = Section("totals", "全区合计（会战期间）", "District totals (campaign window)",
                     [Col("label", "指标", "Metric", "i18n"), Col("value", "完成", "Actual", "i18n")],
                     [{"label": (zh, en), "value": _total_text(k, t.get(k))}
                      for k, (zh, en) in SUMMARY.items()], in_json=False, terminal=None)
    yoy_zh, yoy_en = prose.comparison(f"与去年同期（{zh_day(compared.last_year_period.start)}至"
                                      f"{zh_day(compared.last_year_period.cutoff)}）相比", "Against a year earlier",
                                      t, compared.last_year.total)
    report = Report(kind="scorecard", title_zh=f"{camp.name}成绩单", title_en=f"{camp.name} scorecard",
                    sections=[main, detail, totals], prose_zh=[summary_zh, *([yoy_zh] if yoy_zh else [])],
                    prose_en=[summary_en, *([yoy_en] if yoy_en else [])], data=data)
    report.chart = s.chart("任务进度与时间进度", "Task progress against time")
    common.letterhead(session, report, as_of)
    return report


def _ahead_label(ahead: bool | None) -> tuple[str, str] | None:
    return None if ahead is None else (("超前", "ahead") if ahead else ("落后", "behind"))


def _pair(metric: str, v: dict) -> str:
    """"3/5", or "63.00/20.00" for money in 亿元."""
    money = metric.endswith("_wan") and not metric.endswith("usd_wan")

    def num(x: Any) -> str:
        if x is None:
            return "—"
        return yi(int(x)) if money else str(x)

    return f"{num(v['actual'])}/{num(v['target'])}"


def _total_text(metric: str, value: Any) -> tuple[str, str]:
    """(zh, en) text of a total: money in 亿元."""
    if value is None:
        return ("", "")
    if metric.endswith("_wan") and not metric.endswith("usd_wan"):
        return (f"{yi(value)}亿元", f"{yi(value)} (100M yuan)")
    return (str(value), str(value))


def unit_json(u: UnitScore) -> dict:
    return {
        "unit": u.unit.name,
        "metrics": {t.metric: {"actual": t.actual, "target": t.full_target, "completion": rnd(t.completion),
                               "ahead": t.ahead} for t in u.terms},
        "progress": rnd(u.progress),
        "score": rnd(u.score),
        "rank": u.rank,
        "ahead": u.ahead,
    }


# --------------------------------------------------------------------------- explain


def explain(session: Session, as_of: dt.date, unit: str, *, campaign: str | None = None,
            rules: Rules | None = None) -> Report:
    """Every term of one unit's score: actual, target, completion, capped value, weight, contribution;
    the weighted mean; each deduction and bonus with its projects; the score and the rank."""
    s = scoring_for(session, as_of, campaign, rules)
    target = find_unit(session, unit)
    found = next((u for u in s.units if u.unit.id == target.id), None)
    camp = s.campaign
    assert camp is not None
    if found is None:
        raise NotFound(f"“{target.name}”在会战“{camp.name}”中没有目标。", f"用 zs campaign list {camp.name} 查看目标。")
    cap = s.rules.cap
    terms = [{"metric": t.metric, "actual": t.actual, "target": t.full_target, "completion": rnd(t.completion),
              "value": rnd(t.value), "cap": s.rules.cap_of(t.metric), "weight": t.weight,
              "contribution": rnd(t.contribution), "scored": t.scored} for t in found.terms]
    adjustments = [{"rule": a.rule.kind, "label": a.rule.label(), "count": a.count, "per": a.rule.per,
                    "max": a.rule.max, "value": rnd(a.value), "projects": [p["code"] for p in a.projects]}
                   for a in found.adjustments]
    scored = [t for t in found.terms if t.scored]
    weight_sum = sum(t.weight for t in scored)
    contrib_sum = sum(t.contribution or 0 for t in scored)
    data = {"campaign": camp.name, "unit": found.unit.name, "as_of": as_of.isoformat(), "day": s.day, "days": s.days,
            "time_progress": rnd(s.time_progress), "rules_version": s.rules.version, "cap": cap, "terms": terms,
            "weight_sum": weight_sum, "contribution_sum": rnd(contrib_sum), "weighted_mean": rnd(found.weighted_mean),
            "adjustments": adjustments, "score": rnd(found.score), "rank": found.rank, "ahead": found.ahead}
    lines_zh = [f"{found.unit.name}在“{camp.name}”中的得分（截至{zh_day(as_of)}，第{s.day}天/共{s.days}天，"
                f"时间进度{percent(s.time_progress)}；评分规则 {s.rules.version}）："]
    lines_en = [f"Score of {found.unit.name} in {camp.name} as of {as_of} (day {s.day} of {s.days}; rules "
                f"{s.rules.version}):"]
    for t in found.terms:
        label = common.METRIC_LABELS.get(t.metric, (t.metric, t.metric, ""))[0].replace("\n", "")
        if not t.scored:
            why = "目标为0，不计分" if t.completion is None else "权重为0，不计分"
            lines_zh.append(f"  {label}：完成{_num(t.metric, t.actual)}，目标{_num(t.metric, t.full_target)}，{why}。")
            lines_en.append(f"  {t.metric}: {t.actual} of {t.full_target}, not scored.")
            continue
        lines_zh.append(f"  {label}：完成{_num(t.metric, t.actual)} ÷ 目标{_num(t.metric, t.full_target)} = "
                        f"{percent(t.completion or 0)}，"
                        f"取 min(完成率, {s.rules.cap_of(t.metric):g}) = {half_up(t.value, 4)}，"
                        f"× 权重 {t.weight:g} = {half_up(t.contribution, 4)}")
        lines_en.append(f"  {t.metric}: {t.actual} / {t.full_target} = {percent(t.completion or 0)}, "
                        f"min(completion, {s.rules.cap_of(t.metric):g}) = {half_up(t.value, 4)} "
                        f"× weight {t.weight:g} = "
                        f"{half_up(t.contribution, 4)}")
    if scored:
        mean = half_up(found.weighted_mean, 4)
        lines_zh.append(f"  加权平均 = {half_up(contrib_sum, 4)} ÷ {weight_sum:g} = {mean}")
        lines_en.append(f"  weighted mean = {half_up(contrib_sum, 4)} / {weight_sum:g} = {mean}")
    for a in found.adjustments:
        codes = "、".join(p["code"] for p in a.projects)
        limit = f"（上限 {a.rule.max:g}）" if a.rule.max is not None else ""
        lines_zh.append(f"  {a.rule.label()}：{a.count}个 × {a.rule.sign * a.rule.per:+g}{limit} = "
                        f"{a.value:+.4f}（{codes}）")
        lines_en.append(f"  {a.rule.label('en')}: {a.count} × {a.rule.sign * a.rule.per:+g} = {a.value:+.4f} ({codes})")
    if found.score is None:
        lines_zh.append("  没有可计分的指标，不评分。")
        lines_en.append("  Nothing to score.")
    else:
        rank = f"，排名第{found.rank}" if found.rank else "（不参加排名）"
        lines_zh.append(f"  得分 = {half_up(found.score, 4)}（{half_up(found.score, 2, 2)}分）{rank}；"
                        f"{'任务进度超过时间进度' if found.ahead else '任务进度落后于时间进度'}。")
        lines_en.append(f"  score = {half_up(found.score, 4)} ({half_up(found.score, 2, 2)} points), "
                        f"rank {found.rank or '-'}; "
                        f"{'ahead of' if found.ahead else 'behind'} time.")
    term_rows = [{**t, "value_text": _four(t["value"]), "contribution_text": _four(t["contribution"]),
                  "actual_text": _pair_text(t["metric"], t["actual"]),
                  "target_text": _pair_text(t["metric"], t["target"])}
                 for t in terms]
    section = Section("terms", "得分构成", "Terms", [
        Col("metric", "指标", "Metric", "metric"),
        Col("actual_text", "完成", "Actual", "i18n"),
        Col("target_text", "目标", "Target", "i18n"),
        Col("completion", "完成率", "Completion", "pct"),
        Col("value_text", f"取值\n(封顶{cap:g})", f"Value\n(cap {cap:g})", "num"),
        Col("weight", "权重", "Weight", "num"),
        Col("contribution_text", "贡献", "Contribution", "num"),
    ], term_rows)
    adj = Section("adjustments", "加减分", "Adjustments", [
        Col("label", "规则", "Rule"), Col("count", "项目数", "Projects", "int"),
        Col("value_text", "分值", "Points", "num"), Col("projects_text", "项目", "Codes"),
    ], [{**a, "value_text": f"{a['value']:+.4f}", "projects_text": "、".join(a["projects"])} for a in adjustments])
    return Report(kind="explain", title_zh=f"{found.unit.name} 得分解释",
                  title_en=f"{found.unit.name}: score explained",
                  sections=[section, adj], prose_zh=["\n".join(lines_zh)], prose_en=["\n".join(lines_en)], data=data)


def _num(metric: str, value: Any) -> str:
    if value is None:
        return "—"
    if metric.endswith("_wan") and not metric.endswith("usd_wan"):
        return f"{yi(value)}亿元"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _four(value: float | None) -> str:
    return "" if value is None else f"{half_up(value, 4)}"


def _pair_text(metric: str, value: Any) -> tuple[str, str]:
    zh = _num(metric, value)
    return (zh, zh.replace("亿元", " (100M yuan)"))
