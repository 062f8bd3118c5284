"""The paragraph a bulletin opens with, written from the same numbers as the tables.

截至2023年6月30日，全区累计新签约亿元以上项目25个，总投资…亿元；…
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhaoshang.reports.periods import Period, zh_day


def yi(wan: int | None) -> str:
    """万元 as 亿元 with two decimals, no thousands separator (prose style): 1630000 → 163.00."""
    value = (Decimal(wan or 0) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:.2f}"


def _usd(n: int | None) -> str:
    return f"、外资{n}万美元" if n else ""


def cumulative_zh(as_of_label: str, ytd: dict[str, Any], scope: str = "全区") -> str:
    b1, b10 = ytd["band_counts"]["1"], ytd["band_counts"]["10"]
    parts = [
        f"截至{as_of_label}，{scope}累计新签约亿元以上项目{b1}个，总投资{yi(ytd['band_wan']['1'])}亿元"
        + (f"，其中10亿元以上项目{b10}个" if b10 else ""),
        f"新签约项目共{ytd['new_signed']}个，总投资{yi(ytd['new_signed_wan'])}亿元{_usd(ytd['new_signed_usd_wan'])}",
        f"新开工或具备开工条件项目{ytd['new_started']}个，总投资{yi(ytd['new_started_wan'])}亿元"
        f"{_usd(ytd['new_started_usd_wan'])}",
        f"新投产项目{ytd['new_producing']}个",
        f"新增项目线索{ytd['new_leads']}条，新谋划项目{ytd['new_planned']}个",
    ]
    if ytd.get("main_leader_trips") is not None:
        parts.append(f"区主要领导外出招商{ytd['main_leader_trips']}次，走访重点项目{ytd['main_leader_visits']}个，"
                     f"直接参与洽谈{ytd['main_leader_negotiations']}次")
    return "；".join(parts) + "。"


def window_zh(label: str, totals: dict[str, Any], scope: str = "全区") -> str:
    parts = [
        f"{label}，{scope}新签约项目{totals['new_signed']}个，总投资{yi(totals['new_signed_wan'])}亿元"
        f"{_usd(totals['new_signed_usd_wan'])}",
        f"新开工或具备开工条件项目{totals['new_started']}个，总投资{yi(totals['new_started_wan'])}亿元"
        f"{_usd(totals['new_started_usd_wan'])}",
        f"新投产项目{totals['new_producing']}个",
        f"新增项目线索{totals['new_leads']}条，新谋划项目{totals['new_planned']}个",
    ]
    if totals.get("trips") is not None:
        parts.append(f"外出招商{totals['trips']}次（其中主要领导带队{totals['main_leader_trips']}次）")
    return "；".join(parts) + "。"


def en_count(n: int, noun: str, plural: str | None = None) -> str:
    """An English count with its noun agreeing: 1 new lead, 2 new leads, 0 promotion trips."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _usd_en(n: int | None) -> str:
    return f" and {n} (10k USD) of foreign investment" if n else ""


def cumulative_en(as_of: str, ytd: dict[str, Any], scope: str = "the district") -> str:
    b10 = ytd["band_counts"]["10"]
    text = (f"As of {as_of}, {scope} has signed {en_count(ytd['band_counts']['1'], 'project')} of 100 million "
            f"yuan or more this year, worth {yi(ytd['band_wan']['1'])} (100M yuan)"
            + (f", {b10} of them of 1 billion yuan or more" if b10 else "")
            + f"; {en_count(ytd['new_signed'], 'signing')} in all worth {yi(ytd['new_signed_wan'])}"
            f"{_usd_en(ytd['new_signed_usd_wan'])}; {en_count(ytd['new_started'], 'project')} started or ready to "
            f"start, worth {yi(ytd['new_started_wan'])}{_usd_en(ytd['new_started_usd_wan'])}; "
            f"{ytd['new_producing']} producing; {en_count(ytd['new_leads'], 'new lead')} and "
            f"{en_count(ytd['new_planned'], 'newly planned project')}")
    if ytd.get("main_leader_trips") is not None:
        text += (f"; the main leaders made {en_count(ytd['main_leader_trips'], 'promotion trip')}, visited "
                 f"{en_count(ytd['main_leader_visits'], 'project')} and joined "
                 f"{en_count(ytd['main_leader_negotiations'], 'negotiation')}")
    return text + "."


def window_en(label: str, totals: dict[str, Any], scope: str = "the district") -> str:
    text = (f"In {label}, {scope} signed {en_count(totals['new_signed'], 'project')} worth "
            f"{yi(totals['new_signed_wan'])} (100M yuan){_usd_en(totals['new_signed_usd_wan'])}; "
            f"{totals['new_started']} started or became ready, "
            f"worth {yi(totals['new_started_wan'])}{_usd_en(totals['new_started_usd_wan'])}; "
            f"{totals['new_producing']} began producing; "
            f"{en_count(totals['new_leads'], 'new lead')} and "
            f"{en_count(totals['new_planned'], 'newly planned project')}")
    if totals.get("trips") is not None:
        text += (f"; {en_count(totals['trips'], 'promotion trip')} ({totals['main_leader_trips']} led by main "
                 f"{'a leader' if totals['main_leader_trips'] == 1 else 'leaders'})")
    return text + "."


def bulletin(period: Period, totals: dict[str, Any], ytd: dict[str, Any], scope_zh: str | None = None,
             scope_en: str | None = None) -> tuple[list[str], list[str]]:
    """(Chinese paragraphs, English paragraphs): the year so far, then the window (unless the
    window is the year)."""
    zh = [cumulative_zh(zh_day(period.cutoff), ytd, scope_zh or "全区")]
    en = [cumulative_en(period.cutoff.isoformat(), ytd, scope_en or "the district")]
    if period.kind != "year":
        zh.append(window_zh(period.label("zh"), totals, scope_zh or "全区"))
        en.append(window_en(period.label("en"), totals, scope_en or "the district"))
    return zh, en


# --------------------------------------------------------------------------- 同比 and 环比

# (key, Chinese noun, measure word, English noun, kind): the figures a bulletin compares.
COMPARED = (
    ("new_signed", "新签约项目", "个", "signings", "int"),
    ("new_signed_wan", "签约金额", "亿元", "amount signed", "yi"),
    ("new_started", "新开工或具备开工条件项目", "个", "starts", "int"),
    ("new_leads", "新增项目线索", "条", "new leads", "int"),
    ("new_registered", "入库纳统项目", "个", "projects registered", "int"),
    ("funds_wan", "实际到位资金", "亿元", "funds in place", "yi"),
    ("funds_usd_wan", "实际到位外资", "万美元", "foreign funds in place", "usd"),
)


def _amount(value: int | None, kind: str) -> str:
    return yi(value) if kind == "yi" else str(value or 0)


def change_zh(word: str, now: int | None, before: int | None) -> str:
    """同比增长 12.5% / 同比下降 3.0% / 同比持平 / 去年同期为零 (上期为零 for 环比)."""
    from zhaoshang.reports.compare import pct

    if not before:
        return "去年同期为零" if word == "同比" else "上期为零"
    value = pct(now, before)
    assert value is not None
    if value > 0:
        return f"{word}增长{value:.1f}%"
    if value < 0:
        return f"{word}下降{-value:.1f}%"
    return f"{word}持平"


def change_en(word: str, now: int | None, before: int | None) -> str:
    from zhaoshang.reports.compare import pct

    if not before:
        return "none a year earlier" if word == "同比" else "none in the period before"
    value = pct(now, before)
    assert value is not None
    return f"{'+' if value > 0 else ''}{value:.1f}% {'year on year' if word == '同比' else 'on the period before'}"


def comparison(label_zh: str, label_en: str, now: dict[str, Any], before: dict[str, Any], word: str = "同比",
               whole_year: dict[str, Any] | None = None) -> tuple[str, str]:
    """A paragraph comparing a window's figures with another window's (同比 or 环比), only the
    figures either window holds; with `whole_year` (last year's totals), says where the year so
    far has passed last year's whole-year count."""
    zh, en = [], []
    for key, noun, unit, noun_en, kind in COMPARED:
        a, b = now.get(key), before.get(key)
        if not a and not b:
            continue
        part = f"{noun}{_amount(a, kind)}{unit}，{change_zh(word, a, b)}"
        if b:
            part += f"（{'去年同期' if word == '同比' else '上期'}{_amount(b, kind)}{unit}）"
        if whole_year is not None and kind == "int" and (a or 0) > (whole_year.get(key) or 0) > 0:
            part += f"，已超过去年全年总量（{whole_year[key]}{unit}）"
        zh.append(part)
        en.append(f"{noun_en} {_amount(a, kind)} ({change_en(word, a, b)})")
    if not zh:
        return "", ""
    return f"{label_zh}：" + "；".join(zh) + "。", f"{label_en}: " + "; ".join(en) + "."
