"""A small deterministic district for the report tests, built through the command line as a clerk
would: eight units in official order (the leadership first), four chains, seventeen projects whose
dates exercise the report rules, trips, the 百日会战 and a year's targets."""

from __future__ import annotations

from collections.abc import Callable

Z = Callable[..., object]

UNITS = [
    ("区委区政府", "leadership"),
    ("税郭镇", "town"),
    ("齐村镇", "town"),
    ("光明路街道", "town"),
    ("区工信局", "department"),
    ("区商务局", "department"),
    ("区文旅局", "department"),
    ("区城投集团", "soe"),
]
CHAINS = [("高端装备", "区工信局"), ("新能源", "区商务局"), ("文旅康养", "区文旅局"), ("医养健康", None)]

# code, name, amount, chain, unit, entry stage, entry date, marshal, later moves [(stage, date)]
PROJECTS = [
    ("P-001", "中环智能制造产业园", "60亿", "高端装备", "区工信局", "lead", "2023-02-10", True,
     [("negotiating", "2023-03-15"), ("signed", "2023-05-20"), ("started", "2023-06-27")]),
    ("P-002", "万达广场", "20亿", "文旅康养", "区商务局", "signed", "2023-06-26", True, [("ready", "2023-06-27")]),
    ("P-003", "晟达菲尔高端乳制品产业园", "10.3亿", "医养健康", "齐村镇", "signed", "2023-06-26", True,
     [("started", "2023-06-27")]),
    ("P-004", "光伏组件", "5亿", "新能源", "税郭镇", "lead", "2023-06-27", False, []),
    ("P-005", "储能电站", "1200万美元", "新能源", "区商务局", "signed", "2023-06-28", False, []),
    ("P-006", "老旧厂房改造", "3亿", "高端装备", "区城投集团", "signed", "2023年3月", False, []),
    ("P-007", "康养中心", "8000万", "文旅康养", "齐村镇", "planned", "2023-06-29", False, []),
    ("P-008", "精密铸造", "2亿", "高端装备", "税郭镇", "signed", "2023-01-10", False, []),
    ("P-009", "新材料产业园", "120亿", "高端装备", "光明路街道", "signed", "2023-04-20", True,
     [("started", "2023-06-27")]),
    ("P-010", "数据中心", "6亿", None, "区工信局", "signed", "2023年6月", False, [("started", "2023-07-05")]),
    ("P-011", "冷链物流园", "8亿", None, "区城投集团", "lead", "2023-05-01", False, [("negotiating", "2023-06-20")]),
    ("P-012", "温泉度假区", "15亿", "文旅康养", "区文旅局", "signed", "2023-06-26", True,
     [("ready", "2023年6月"), ("started", "2023-06-27")]),
    ("P-013", "化工中间体", "4亿", "新能源", "税郭镇", "signed", "2023-02-01", False, [("terminated", "2023-05-01")]),
    ("P-014", "食品加工", "1.5亿", "医养健康", "齐村镇", "signed", "2022-10-01", False,
     [("started", "2022-12-01"), ("producing", "2023-06-28")]),
    ("P-015", "跨境电商", "3000万", None, "光明路街道", "lead", None, False, []),
    ("P-016", "风电装备", "30亿", "新能源", "区商务局", "signed", "2022-11-15", True, []),
    ("P-017", "文创街区", "2亿", "文旅康养", "区文旅局", "negotiating", "2023-07-10", False,
     [("signed", "2023-07-20")]),
]

TRIPS = [
    ("区委区政府", True, "2023-02-15", "北京", 3, 1),
    ("区委区政府", True, "2023-04-18", "深圳", 4, 2),
    ("区委区政府", True, "2023-06-27", "上海", 5, 1),
    ("区委区政府", True, "2023-07-12", "苏州", 2, 0),
    ("区商务局", False, "2023-06-29", "杭州", 2, 0),
    ("税郭镇", False, "2023-05-10", "青岛", 1, 0),
]

CAMPAIGN_TARGETS = {  # 百日会战: unit -> metric -> value
    "税郭镇": {"new_signed": 2, "new_started": 1, "new_leads": 2},
    "齐村镇": {"new_signed": 1, "new_started": 1},
    "光明路街道": {"new_signed": 1, "new_started": 1, "new_leads": 1},
    "区工信局": {"new_signed": 2, "new_started": 2, "new_signed_wan": "50亿"},
    "区商务局": {"new_signed": 3, "new_started": 1, "trips": 2},
    "区文旅局": {"new_signed": 2, "new_started": 1, "new_leads": 0},
    "区城投集团": {"new_signed": 1, "new_started": 1},
}
YEAR_TARGETS = {unit: {"new_signed": 4, "new_signed_wan": "40亿", "new_started": 2} for unit, _ in UNITS[1:]}


def build(zs: Z, codes: set[str] | None = None) -> None:
    """Populate an empty ledger through `zs` (a conftest.Zs); `codes` keeps only those projects
    (and leaves out the planned milestones of the others)."""
    ok = zs.ok  # type: ignore[attr-defined]
    for i, (name, kind) in enumerate(UNITS):
        ok("units", "add", name, "--kind", kind, "--order", str(i + 1))
    for name, lead in CHAINS:
        ok("chains", "add", name, *(["--lead-unit", lead] if lead else []))
    for code, name, amount, chain, unit, stage, date, marshal, moves in PROJECTS:
        if codes is not None and code not in codes:
            continue
        args = ["add-project", name, "--code", code, "--amount", amount, "--unit", unit, "--stage", stage]
        args += ["--chain", chain] if chain else []
        args += ["--date", date] if date else []
        args += ["--marshal"] if marshal else []
        ok(*args)
        for move, when in moves:
            ok("projects", "advance", code, move, "--date", when)
    for code, planned in (("P-008", "2023-05-31"), ("P-016", "2023-06")):
        if codes is None or code in codes:
            ok("milestones", "add", code, "started", "--planned", planned)
    for unit, main, date, dest, visits, negotiations in TRIPS:
        ok("trips", "add", "--unit", unit, "--date", date, "--destination", dest, "--visits", str(visits),
           "--negotiations", str(negotiations), *(["--main-leader"] if main else []))
    ok("campaign", "create", "百日会战", "--start", "2023-04-15", "--days", "100")
    ok("campaign", "create", "2023年度目标", "--start", "2023-01-01", "--end", "2023-12-31")
    for campaign, targets in (("百日会战", CAMPAIGN_TARGETS), ("2023年度目标", YEAR_TARGETS)):
        for unit, metrics in targets.items():
            for metric, value in metrics.items():
                ok("campaign", "target", campaign, "--unit", unit, "--metric", metric, "--value", str(value))
