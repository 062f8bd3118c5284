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


def _usd_en(n: int | None) -> str:
    return f" and {n} (10k USD) of foreign investment" if n else ""


def cumulative_en(as_of: str, ytd: dict[str, Any], scope: str = "the district") -> str:
    b10 = ytd["band_counts"]["10"]
    text = (f"As of {as_of}, {scope} has signed {ytd['band_counts']['1']} projects of 100 million yuan or more "
            f"this year, worth {yi(ytd['band_wan']['1'])} (100M yuan)"
            + (f", {b10} of them of 1 billion yuan or more" if b10 else "")
            + f"; {ytd['new_signed']} signings in all worth {yi(ytd['new_signed_wan'])}"
            f"{_usd_en(ytd['new_signed_usd_wan'])}; {ytd['new_started']} projects started or ready to start, worth "
            f"{yi(ytd['new_started_wan'])}{_usd_en(ytd['new_started_usd_wan'])}; {ytd['new_producing']} producing; "
            f"{ytd['new_leads']} new leads and {ytd['new_planned']} newly planned projects")
    if ytd.get("main_leader_trips") is not None:
        text += (f"; the main leaders made {ytd['main_leader_trips']} promotion trips, visited "
                 f"{ytd['main_leader_visits']} projects and joined {ytd['main_leader_negotiations']} negotiations")
    return text + "."


def window_en(label: str, totals: dict[str, Any], scope: str = "the district") -> str:
    text = (f"In {label}, {scope} signed {totals['new_signed']} projects worth {yi(totals['new_signed_wan'])} "
            f"(100M yuan){_usd_en(totals['new_signed_usd_wan'])}; {totals['new_started']} started or became ready, "
            f"worth {yi(totals['new_started_wan'])}{_usd_en(totals['new_started_usd_wan'])}; "
            f"{totals['new_producing']} began producing; "
            f"{totals['new_leads']} new leads and {totals['new_planned']} newly planned projects")
    if totals.get("trips") is not None:
        text += f"; {totals['trips']} promotion trips ({totals['main_leader_trips']} led by main leaders)"
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
