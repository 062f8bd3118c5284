"""Deterministic benchmark data of any size: office-style xlsx ledgers and migrated SQLite ledgers.

    python benchmarks/generate.py xlsx --rows 100000 [--seed 1] [--out FILE]
    python benchmarks/generate.py ledger --projects 100000 [--seed 1] [--out FILE]

Both draw the same kind of projects: Chinese names, investors, amounts, ten chains and 27 units, mixed
stages with dates across the year that ends on TODAY. The workbook is written straight into the zip
(sheet XML and shared strings streamed), so a million rows take seconds and little memory; it opens in
python-calamine and openpyxl. The ledger is created by `zs init` and filled with sqlite3 executemany:
projects, ~10 milestones each (stage dates, planned steps, visits), trips, a campaign with targets and
one audit event per project. Without --out, files are cached in benchmarks/.data/ by size and seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from zhaoshang.importers.read import column_letter

# Bump when the data changes shape: cached files are keyed by these.
XLSX_VERSION = 4  # 4: the 推进表's columns (配合单位, 包保领导, the year's plan and completion, scope, 计划竣工)
LEDGER_VERSION = 5  # 4: funds in place and 入库 milestones; 5: the messy ledger
DATA_DIR = Path(os.environ.get("ZS_BENCH_DATA") or Path(__file__).resolve().with_name(".data"))
YEAR = 2023
TODAY = dt.date(YEAR, 6, 30)  # the ledgers' "today": every done date is on or before it
WINDOW_START = TODAY - dt.timedelta(days=364)  # stage dates fall across the year before TODAY
CAMPAIGN = ("百日会战", dt.date(YEAR, 4, 15), dt.date(YEAR, 7, 23))

TOWNS = ["税郭镇", "孟庄镇", "西王庄镇", "永安镇", "齐村镇", "光明路街道", "中心街街道", "垎塔埠街道",
         "龙山路街道", "文化路街道", "矿区街道"]
DEPARTMENTS = ["区发改局", "区工信局", "区商务局", "区科技局", "区农业农村局", "区文旅局", "区住建局", "区卫健局",
               "区教体局", "区自然资源局"]
SOES = ["区城投集团", "区国资公司", "区文旅集团", "区金控集团", "区建投集团", "区产投集团"]
# (name, kind, class): the 27 accountable units in official order, then the leadership.
UNITS = [
    *((n, "town", "一类" if i < 6 else "二类") for i, n in enumerate(TOWNS)),
    *((n, "department", None) for n in DEPARTMENTS),
    *((n, "soe", None) for n in SOES),
    ("区委区政府", "leadership", None),
]
N_RANKED = 27  # the leadership unit is outside the 27 and owns no projects
# (name, chief, anchor firm, lead department index into UNITS)
CHAINS = [
    ("高端装备", "区委副书记", "中环智能", 12),
    ("新能源", "常务副区长", "宁德时代", 11),
    ("新材料", "副区长", "鲁南化工", 12),
    ("医养健康", "副区长", "齐鲁制药", 18),
    ("数字经济", "副区长", "浪潮集团", 14),
    ("现代物流", "副区长", "京东物流", 13),
    ("文化旅游", "副区长", "万达集团", 16),
    ("食品加工", "副区长", "晟达菲尔", 15),
    ("新一代信息技术", "副区长", "歌尔股份", 14),
    ("现代农业", "副区长", "中粮集团", 15),
]

BRANDS = ["中环", "万达", "晟达菲尔", "鲁南", "枣庄", "华润", "京东", "海尔", "比亚迪", "宁德", "隆基", "天合",
          "中建", "中铁", "恒瑞", "齐鲁", "山推", "潍柴", "浪潮", "歌尔", "海信", "华为", "阿里", "腾讯", "美的",
          "格力", "三一", "徐工", "中联", "万华", "魏桥", "南山", "兖矿", "山能", "鲁商", "新希望", "伊利", "蒙牛",
          "双汇", "通威", "正泰", "德力西", "远大", "金科", "碧桂园", "绿地", "中粮", "国药", "复星", "台达"]
INDUSTRIES = ["智能制造", "高端乳制品", "新能源电池", "光伏组件", "锂电材料", "生物医药", "数字经济", "冷链物流",
              "文旅康养", "精密铸造", "新型建材", "汽车零部件", "食品加工", "半导体封测", "氢能装备", "储能系统",
              "工业互联网", "跨境电商", "现代农业", "智慧物流", "医疗器械", "新型显示", "碳纤维", "高端轴承",
              "智能家居", "预制菜", "中药材", "电子信息", "节能环保", "数据中心", "商贸物流", "精细化工",
              "特种钢材", "农产品加工", "康养旅游", "健康食品", "工业母机", "机器人", "集成电路", "纺织服装"]
KINDS = ["产业园", "项目", "基地", "中心", "工厂", "产业基地", "研发中心", "生产线", "综合体", "示范园", "加工园",
         "科技园", "物流园", "总部", "孵化器", "智造园", "工业园", "示范基地", "创新中心", "生态园", "城", "小镇",
         "港", "谷", "广场"]
PHASES = ["", "一期", "二期", "三期", "（扩建）", "技改", "续建", "（新建）", "四期", "改扩建", "（一期）",
          "（二期）", "升级改造", "配套", "提升", "建设", "扩能", "智能化改造", "产能提升", "迁建"]
CITIES = ["北京", "上海", "深圳", "广州", "杭州", "苏州", "南京", "青岛", "济南", "宁波", "合肥", "成都", "武汉",
          "天津", "厦门", "无锡", "常州", "烟台", "潍坊", "临沂", "香港", "台湾"]
COMPANY_SUFFIX = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司", "实业有限公司", "投资有限公司",
                  "控股集团", "新材料有限公司", "发展有限公司", "产业投资有限公司"]
REGIONS = {"北京": "京津冀", "天津": "京津冀", "上海": "长三角", "杭州": "长三角", "苏州": "长三角", "南京": "长三角",
           "宁波": "长三角", "合肥": "长三角", "无锡": "长三角", "常州": "长三角", "深圳": "珠三角", "广州": "珠三角",
           "厦门": "海西", "香港": "港澳台", "台湾": "港澳台", "青岛": "省内", "济南": "省内", "烟台": "省内",
           "潍坊": "省内", "临沂": "省内", "成都": "中西部", "武汉": "中西部"}
LEADERS = ["区委书记", "区长", "常务副区长", "副区长", "党委书记", "镇长", "主任", "局长", "董事长", "总经理"]
PROGRESS = ["正在办理土地手续", "规划方案已通过评审", "环评批复已取得", "主体厂房施工中", "设备安装调试",
            "已完成项目备案", "正在洽谈投资协议", "企业高层来区考察", "等待上级审批", "配套道路建设中"]
# 区级包保领导 as ledgers write them: a name and the title in brackets.
DISTRICT_LEADERS = ["王建国（区委书记）", "李明（区委副书记、区长）", "张伟（区委常委、常务副区长）",
                    "刘洋（区委常委、组织部部长）", "陈静（副区长）", "杨帆（副区长）", "赵磊（副区长）",
                    "孙丽（区委常委、宣传部部长）", "周强（区人大常委会副主任）", "吴敏（区政协副主席）"]
SCOPE_WORKS = ["生产车间", "研发中心", "仓储物流中心", "办公楼", "检测中心", "配套用房"]
OTHER_STEPS = ["项目备案", "土地摘牌", "规划许可", "施工许可", "环评批复", "能评批复", "主体完工", "设备进场",
               "专题调度"]

# Stage mix of a live pipeline (furthest stage reached) and the words ledgers use for each.
STAGE_MIX = [("planned", 5), ("lead", 24), ("negotiating", 20), ("signed", 20), ("ready", 4), ("started", 17),
             ("producing", 7), ("terminated", 3)]
STAGE_WORDS = {
    "planned": ["谋划", "谋划项目", "储备"],
    "lead": ["线索", "项目线索", "对接中", "跟踪对接"],
    "negotiating": ["在谈", "洽谈中", "正在洽谈", "拟签约"],
    "signed": ["签约", "已签约", "前期手续办理中"],
    "ready": ["具备开工条件"],
    "started": ["开工", "在建", "开工建设", "已开工"],
    "producing": ["投产", "已投产", "试生产"],
    "terminated": ["终止", "已终止"],
}
PATH = ["planned", "lead", "negotiating", "signed", "ready", "started", "producing"]

# The workbook's columns, declared once, in order: (key, group label over it or None, header label,
# width). A column in a group sits under the group's label merged across it (a two-row header, as
# 时间节点 over 签约 | 开工 | 投产); the others are merged down over both header rows. Adding a column
# is a line here and its value in _values().
COLUMNS: list[tuple[str, str | None, str, int]] = [
    ("index", None, "序号", 6),
    ("code", None, "项目编号", 16),
    ("name", None, "项目名称", 36),
    ("investor", None, "投资方", 36),
    ("region", None, "来源地", 10),
    ("amount", "投资规模", "总投资（亿元）", 14),
    ("usd", "投资规模", "其中外资（万美元）", 14),
    ("chain", None, "所属产业链", 14),
    ("sector", None, "产业类别", 14),
    ("unit", None, "责任单位", 14),
    ("stage", None, "项目阶段", 12),
    ("signed_on", "时间节点", "签约", 12),
    ("started_on", "时间节点", "开工", 12),
    ("produced_on", "时间节点", "投产", 12),
    ("planned_completion_on", None, "计划竣工时间", 12),
    ("marshal", None, "挂帅项目", 8),
    ("support_units", None, "配合单位", 20),
    ("leaders", None, "区级包保领导", 24),
    ("plan", None, f"{YEAR}年计划投资（万元）", 12),
    ("completed", None, f"1-{TODAY.month}月完成投资（万元）", 12),
    ("scope", None, "建设内容及规模", 36),
    ("progress", None, "进展情况", 30),
    ("note", None, "备注", 16),
]
HEADERS = [label for _, _, label, _ in COLUMNS]  # the lower header row's labels


# --------------------------------------------------------------------------- the projects


@dataclass
class GenProject:
    index: int  # 0-based
    code: str
    name: str
    investor: str
    wan: int | None  # 万元; None when unknown (待定) or known only in 万美元
    usd_wan: int | None
    chain: int
    unit: int
    stage: str
    dates: dict[str, tuple[dt.date, str]] = field(default_factory=dict)  # stage -> (date, precision)
    marshal: bool = False
    region: str | None = None


def project_code(i: int) -> str:
    return f"ZS{YEAR}-{i + 1:07d}"


_NAME_SPACE = len(BRANDS) * len(INDUSTRIES) * len(KINDS) * len(PHASES)


def project_name(i: int) -> str:
    """A distinct name for each of the first million or so projects (a permutation of the combinations)."""
    j = (i * 7919 + 104729) % _NAME_SPACE
    j, phase = divmod(j, len(PHASES))
    j, kind = divmod(j, len(KINDS))
    brand, industry = divmod(j, len(INDUSTRIES))
    return f"{BRANDS[brand % len(BRANDS)]}{INDUSTRIES[industry]}{KINDS[kind]}{PHASES[phase]}"


def investor_pool(rng: random.Random, size: int = 4000) -> list[str]:
    names, seen = [], set()
    while len(names) < size:
        name = f"{rng.choice(CITIES)}{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}{rng.choice(COMPANY_SUFFIX)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _amount_wan(rng: random.Random) -> int:
    """Log-normal around 3 亿元 with a tail past 100 亿, in whole 万元 (cells show 亿 with 2 decimals)."""
    yi = min(rng.lognormvariate(1.0, 1.1), 300.0)
    return max(100, round(yi * 100) * 100)


def projects(n: int, seed: int) -> Iterator[GenProject]:
    """The n projects of a seeded district, in code order."""
    rng = random.Random(seed)
    investors = investor_pool(random.Random(seed + 1))
    stages = [s for s, _ in STAGE_MIX]
    weights = [w for _, w in STAGE_MIX]
    span = (TODAY - WINDOW_START).days
    for i in range(n):
        stage = rng.choices(stages, weights)[0]
        furthest = rng.choice(PATH[1:5]) if stage == "terminated" else stage
        # The stages walked through: planned only for the district's own ideas; ready for some.
        walked = [s for s in PATH[: PATH.index(furthest) + 1]
                  if (s != "planned" or furthest == "planned" or rng.random() < 0.08)
                  and (s != "ready" or furthest == "ready" or rng.random() < 0.3)]
        if stage == "terminated":
            walked.append("terminated")
        # The last step falls anywhere in the year; earlier ones come before it, a few weeks apart.
        day = WINDOW_START + dt.timedelta(days=rng.randrange(span + 1))
        dates: dict[str, tuple[dt.date, str]] = {}
        for s in reversed(walked):
            precision = "month" if rng.random() < 0.03 else "day"
            dates[s] = (day.replace(day=1) if precision == "month" else day, precision)
            day -= dt.timedelta(days=int(rng.expovariate(1 / 35)) + 1)
        usd_only = rng.random() < 0.015
        unknown = rng.random() < 0.003
        wan = None if usd_only or unknown else _amount_wan(rng)
        usd = round(rng.lognormvariate(6.5, 1.0)) if usd_only or rng.random() < 0.01 else None
        unit = rng.randrange(N_RANKED)
        chain = rng.randrange(len(CHAINS))
        city = rng.choice(CITIES)
        yield GenProject(
            index=i, code=project_code(i), name=project_name(i), investor=rng.choice(investors), wan=wan,
            usd_wan=usd, chain=chain, unit=unit, stage=stage, dates=dates,
            marshal=wan is not None and wan >= 100_000 and rng.random() < 0.4, region=city,
        )


# --------------------------------------------------------------------------- xlsx


COLS = {key: column_letter(i) for i, (key, _, _, _) in enumerate(COLUMNS)}
LAST_COL = column_letter(len(COLUMNS) - 1)
_EPOCH = dt.date(1899, 12, 30)
_TEXT_DATE_FORMATS = (
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
)
# A third of the amounts are typed as text with their unit, the way clerks do.
_AMOUNT_TEXTS = (
    lambda wan: f"{wan / 10000:g}亿元",
    lambda wan: f"{wan}万元",
    lambda wan: f"{wan / 10000:.2f}亿",
)
NOTES = ["省重点项目", "市重点项目", "外资项目", "需协调用地指标", "已纳入百日会战", "链主企业配套"]
NUMERALS = "一二三四五六七八九十"

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OOXML = "application/vnd.openxmlformats-officedocument"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.spreadsheetml.styles+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OOXML}.spreadsheetml.sharedStrings+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_OOXML}.extended-properties+xml"/></Types>'
)
_SST_TYPE = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OOXML}.spreadsheetml.sharedStrings+xml"/>'
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
_APP = (f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application></Properties>")
_WORKBOOK = (f'{_XML}<workbook xmlns="{_SML}" xmlns:r="{_REL}">'
             '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SST_REL = f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
# Cell styles: 0 plain, 1 date (built-in format 14), 2 amount 0.00, 3 bold header, 4 bold title.
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="3"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font>\
<font><b/><sz val="16"/><name val="宋体"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_SHEET_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">\
<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight="13.5"/><cols>{cols}</cols><sheetData>"""


class _Strings:
    """The shared-string table, laid out so that it can be streamed after the sheet without keeping a
    million strings in memory: the pooled strings first (units, chains, stage words, investors, dates
    as text …), then each string a row owns (code, name, an amount as text, a heading), spooled to a
    temporary file as the sheet is written. With `inline`, a cell carries its text itself (what
    openpyxl and many web systems write): `ref` then returns the text instead of an index."""

    def __init__(self, pooled: list[str], spool: Any, inline: bool = False) -> None:
        self.pooled = pooled
        self.inline = inline
        self.index: dict[str, int | str] = {s: escape(s) if inline else i for i, s in enumerate(pooled)}
        self.spool = spool
        self.owned = 0
        self.refs = 0

    def ref(self, text: str) -> int | str:
        self.refs += 1
        found = self.index.get(text)
        if found is not None:
            return found
        if self.inline:
            return escape(text)
        self.spool.write(f"<si><t>{escape(text)}</t></si>".encode())
        self.owned += 1
        return len(self.pooled) + self.owned - 1

    def unique_count(self) -> int:
        return len(self.pooled) + self.owned


def _s(col: str, r: int, idx: int | str, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if isinstance(idx, str):
        return f'<c r="{col}{r}"{styled} t="inlineStr"><is><t>{idx}</t></is></c>'
    return f'<c r="{col}{r}"{styled} t="s"><v>{idx}</v></c>'


def _n(col: str, r: int, value: float | int, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{col}{r}"{styled}><v>{value}</v></c>'


def _date_cell(col: str, r: int, when: tuple[dt.date, str], kind: float, strings: _Strings) -> str:
    """Mostly real Excel dates; the rest typed as text in the ways clerks do, some known only to the month."""
    day, precision = when
    if precision == "month":
        return _s(col, r, strings.ref(f"{day.year}年{day.month}月"))
    if kind < 0.6:
        return _n(col, r, (day - _EPOCH).days, 1)
    return _s(col, r, strings.ref(_TEXT_DATE_FORMATS[int(kind * 1000) % len(_TEXT_DATE_FORMATS)](day)))


def _amount_cell(col: str, r: int, p: GenProject, kind: float, strings: _Strings) -> str:
    """Two in three amounts a number in 亿元 (the header's unit), one in three text with its unit; a project
    known only in 万美元 says so in this column; an unknown amount is 待定."""
    if p.wan is None:
        return _s(col, r, strings.ref(f"{p.usd_wan}万美元" if p.usd_wan is not None else "待定"))
    if kind < 2 / 3:
        return _n(col, r, f"{p.wan / 10000:.2f}", 2)
    return _s(col, r, strings.ref(_AMOUNT_TEXTS[int(kind * 3000) % len(_AMOUNT_TEXTS)](p.wan)))


def _values(p: GenProject, r: int, number: int, rng: random.Random, strings: _Strings) -> dict[str, str]:
    """A project row's cells by column key (a key missing is a blank cell)."""
    c = COLS
    words = STAGE_WORDS[p.stage]
    cells = {
        "index": _n(c["index"], r, number),
        "code": _s(c["code"], r, strings.ref(p.code)),
        "name": _s(c["name"], r, strings.ref(p.name)),
        "investor": _s(c["investor"], r, strings.ref(p.investor)),
        "amount": _amount_cell(c["amount"], r, p, rng.random(), strings),
        "chain": _s(c["chain"], r, strings.ref(CHAINS[p.chain][0])),
        "sector": _s(c["sector"], r, strings.ref(INDUSTRIES[(p.index * 31) % len(INDUSTRIES)])),
        "unit": _s(c["unit"], r, strings.ref(UNITS[p.unit][0])),
        "stage": _s(c["stage"], r, strings.ref(words[p.index % len(words)])),
    }
    if p.region:
        cells["region"] = _s(c["region"], r, strings.ref(p.region))
    if p.wan is not None and p.usd_wan is not None:
        cells["usd"] = _n(c["usd"], r, p.usd_wan)
    for key, stage in (("signed_on", "signed"), ("started_on", "started"), ("produced_on", "producing")):
        if stage in p.dates:
            cells[key] = _date_cell(c[key], r, p.dates[stage], rng.random(), strings)
    if p.marshal or rng.random() < 0.5:
        cells["marshal"] = _s(c["marshal"], r, strings.ref("是" if p.marshal else "否"))
    _tuijin_values(p, r, rng, strings, cells)
    if rng.random() < 0.3:
        cells["progress"] = _s(c["progress"], r, strings.ref(rng.choice(PROGRESS)))
    if rng.random() < 0.05:
        cells["note"] = _s(c["note"], r, strings.ref(rng.choice(NOTES)))
    return cells


def _tuijin_values(p: GenProject, r: int, rng: random.Random, strings: _Strings, cells: dict[str, str]) -> None:
    """The 推进表's cells: supporting units (never the row's own unit) and leaders in charge on most
    rows, the year's plan and completion to the month on projects past signing, scope as prose,
    and the planned completion of those under way."""
    c = COLS
    if rng.random() < 0.4:
        others = rng.sample([u for u in range(N_RANKED) if u != p.unit], rng.choice((1, 1, 2, 3)))
        cells["support_units"] = _s(c["support_units"], r, strings.ref("、".join(UNITS[u][0] for u in others)))
    if rng.random() < 0.6:
        chosen = rng.sample(DISTRICT_LEADERS, rng.choice((1, 1, 2)))
        cells["leaders"] = _s(c["leaders"], r, strings.ref("、".join(chosen)))
    if p.stage in ("signed", "ready", "started", "producing") and p.wan is not None:
        plan = max(100, round(p.wan * rng.uniform(0.1, 0.6) / 100) * 100)
        cells["plan"] = _n(c["plan"], r, plan)
        if p.stage in ("started", "producing"):
            cells["completed"] = _n(c["completed"], r, round(plan * rng.uniform(0.2, 0.9)))
    if rng.random() < 0.5:
        works = "、".join(rng.sample(SCOPE_WORKS, 2))
        area = rng.randint(5, 300) / 10
        scope = f"总建筑面积{area:g}万平方米，建设{works}，购置设备{rng.randint(10, 400)}台（套）"
        cells["scope"] = _s(c["scope"], r, strings.ref(scope))
    if p.stage in ("signed", "ready", "started"):
        planned = TODAY + dt.timedelta(days=rng.randint(60, 900))
        cells["planned_completion_on"] = _date_cell(c["planned_completion_on"], r, (planned, "day"), rng.random(),
                                                    strings)


def _numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 27 → 二十七."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else NUMERALS[tens - 1]) + "十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def blocks(rows: int) -> list[tuple[int, list[tuple[int, int, int]]]]:
    """The sheet's sections: each unit in order with its rows, and under it the chains' blocks
    (chain, first row, end) — projects in code order, a 27th of them per unit, a tenth of a unit's per
    chain. Empty blocks are left out."""
    out = []
    for u in range(N_RANKED):
        start, end = -(-u * rows // N_RANKED), -(-(u + 1) * rows // N_RANKED)
        n = end - start
        chains = [(c, start - (-c * n // len(CHAINS)), start - (-(c + 1) * n // len(CHAINS)))
                  for c in range(len(CHAINS))]
        chains = [(c, a, b) for c, a, b in chains if b > a]
        if chains:
            out.append((u, chains))
    return out


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed time stamp, so that the same size and seed give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(YEAR, TODAY.month, TODAY.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _header(strings: _Strings) -> tuple[str, list[str]]:
    """The title row and the two header rows, and the ranges they merge."""
    letters = list(COLS.values())
    title = f"{YEAR}年重点招商引资项目台账"
    merges = [f"A1:{LAST_COL}1"]
    upper, lower = [], []
    for j, (_, group, label, _) in enumerate(COLUMNS):
        col = letters[j]
        if group is None:
            upper.append(_s(col, 2, strings.ref(label), 3))
            merges.append(f"{col}2:{col}3")
        else:
            if j == 0 or COLUMNS[j - 1][1] != group:
                upper.append(_s(col, 2, strings.ref(group), 3))
                last = max(i for i, column in enumerate(COLUMNS) if column[1] == group)
                merges.append(f"{col}2:{letters[last]}2")
            lower.append(_s(col, 3, strings.ref(label), 3))
    rows = (f'<row r="1" ht="24" customHeight="1">{_s("A", 1, strings.ref(title), 4)}</row>'
            f'<row r="2">{"".join(upper)}</row><row r="3">{"".join(lower)}</row>')
    return rows, merges


def write_xlsx(path: Path, rows: int, seed: int, inline: bool = False) -> None:
    """A one-sheet ledger as a district keeps it: a merged title, a two-row header, the projects in
    blocks by unit (一、税郭镇（n个）) and chain within it (（一） | 高端装备产业链), each chain closed by a
    小计 row and each unit by its 合计 row, and a 合计 row at the end. Strings are shared, as Excel and
    WPS write them, or with `inline` in their cells, as openpyxl does."""
    investors = investor_pool(random.Random(seed + 1))
    pooled = ["合计", "小计", "待定", "是", "否", *(u[0] for u in UNITS[:N_RANKED]), *(c[0] for c in CHAINS),
              *INDUSTRIES, *CITIES, *PROGRESS, *NOTES, *DISTRICT_LEADERS,
              *(w for words in STAGE_WORDS.values() for w in words), *investors]
    day = WINDOW_START - dt.timedelta(days=800)
    while day <= TODAY:
        pooled += [f(day) for f in _TEXT_DATE_FORMATS]
        if day.day == 1:
            pooled.append(f"{day.year}年{day.month}月")
        day += dt.timedelta(days=1)
    pooled = list(dict.fromkeys(pooled))
    layout = blocks(rows)
    last_row = 3 + rows + sum(2 + 2 * len(chains) for _, chains in layout) + 1
    rng = random.Random(seed + 2)  # presentation choices, apart from the projects' own draws
    tmp = path.with_name(path.name + ".tmp")
    with tempfile.TemporaryFile() as spool, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        strings = _Strings(pooled, spool, inline)
        zf.writestr(_entry("[Content_Types].xml"), _CONTENT_TYPES.replace(_SST_TYPE, "") if inline else _CONTENT_TYPES)
        zf.writestr(_entry("_rels/.rels"), _ROOT_RELS)
        zf.writestr(_entry("docProps/app.xml"), _APP)
        zf.writestr(_entry("xl/workbook.xml"), _WORKBOOK.format(sheet="重点项目"))
        zf.writestr(_entry("xl/_rels/workbook.xml.rels"), _WORKBOOK_RELS.replace(_SST_REL, "") if inline
                    else _WORKBOOK_RELS)
        zf.writestr(_entry("xl/styles.xml"), _STYLES)
        with zf.open(_entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as fh:
            widths = "".join(f'<col min="{j + 1}" max="{j + 1}" width="{w}" customWidth="1"/>'
                             for j, (_, _, _, w) in enumerate(COLUMNS))
            head, merges = _header(strings)
            fh.write((_SHEET_HEAD.format(last=f"{LAST_COL}{last_row}", cols=widths) + head).encode())
            c = COLS
            total = 0
            r = 4
            chunk: list[str] = []
            gen = projects(rows, seed)
            for k, (u, chains) in enumerate(layout):
                unit_name = UNITS[u][0]
                count = sum(b - a for _, a, b in chains)
                chunk.append(f'<row r="{r}">{_s("A", r, strings.ref(f"{_numeral(k + 1)}、{unit_name}（{count}个）"))}'
                             "</row>")
                merges.append(f"A{r}:{c['name']}{r}")
                r += 1
                unit_total = 0
                for m, (chain, a, b) in enumerate(chains):
                    chain_name = CHAINS[chain][0]
                    chunk.append(f'<row r="{r}">{_s("A", r, strings.ref(f"（{_numeral(m + 1)}）"))}'
                                 f'{_s(c["name"], r, strings.ref(f"{chain_name}产业链"))}</row>')
                    r += 1
                    chain_total = 0
                    for number in range(a - chains[0][1] + 1, b - chains[0][1] + 1):
                        p = next(gen)
                        p.unit, p.chain = u, chain
                        chain_total += p.wan or 0
                        cells = _values(p, r, number, rng, strings)
                        chunk.append(f'<row r="{r}">{"".join(cells[key] for key in c if key in cells)}</row>')
                        r += 1
                        if len(chunk) >= 2000:
                            fh.write("".join(chunk).encode())
                            chunk.clear()
                    chunk.append(f'<row r="{r}">{_s(c["name"], r, strings.ref("小计"))}'
                                 f'{_n(c["amount"], r, f"{chain_total / 10000:.2f}", 2)}</row>')
                    r += 1
                    unit_total += chain_total
                chunk.append(f'<row r="{r}">{_s(c["name"], r, strings.ref(f"{unit_name}合计"))}'
                             f'{_n(c["amount"], r, f"{unit_total / 10000:.2f}", 2)}</row>')
                r += 1
                total += unit_total
            assert r == last_row, (r, last_row)
            chunk.append(f'<row r="{r}">{_s("A", r, strings.ref("合计"))}'
                         f'{_n(c["amount"], r, f"{total / 10000:.2f}", 2)}</row>')
            chunk.append(f'</sheetData><mergeCells count="{len(merges)}">'
                         + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
                         '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                         '</worksheet>')
            fh.write("".join(chunk).encode())
        if not inline:  # the shared-string table, streamed: the pooled strings, then the spooled ones
            with zf.open(_entry("xl/sharedStrings.xml"), "w", force_zip64=True) as fh:
                fh.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                          f'count="{strings.refs}" uniqueCount="{strings.unique_count()}">').encode())
                fh.write("".join(f"<si><t>{escape(s)}</t></si>" for s in pooled).encode())
                spool.seek(0)
                shutil.copyfileobj(spool, fh, 1 << 20)
                fh.write(b"</sst>")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- SQLite ledger


def zs_command() -> list[str]:
    """The `zs` beside this Python (a venv's console script), else `python -m zhaoshang`."""
    script = Path(sys.executable).with_name("zs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zhaoshang"]


def init_ledger(path: Path) -> None:
    """An empty ledger at the newest schema, made by `zs init` itself."""
    path.unlink(missing_ok=True)
    run = subprocess.run([*zs_command(), "--db", str(path), "init"], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"zs init failed: {run.stderr.strip()}")


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def write_ledger(path: Path, n: int, seed: int) -> None:
    """A ledger of n projects with ~10 milestones each, trips, and a campaign with targets."""
    tmp = path.with_name(path.name + ".tmp")
    init_ledger(tmp)
    rng = random.Random(seed + 3)
    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")  # a scratch file until it is renamed into place
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    con.executemany("INSERT INTO unit (id, name, kind, leader, sort_order, unit_class) VALUES (?,?,?,?,?,?)",
                    [(i + 1, name, kind, f"{name}主要负责人", i + 1, cls) for i, (name, kind, cls) in enumerate(UNITS)])
    con.executemany("INSERT INTO chain (id, name, chief, anchor_firm, lead_unit_id, sort_order) VALUES (?,?,?,?,?,?)",
                    [(i + 1, name, chief, anchor, lead + 1, i + 1)
                     for i, (name, chief, anchor, lead) in enumerate(CHAINS)])
    created = dt.datetime.combine(TODAY, dt.time(9, 0))
    project_rows: list[tuple] = []
    milestone_rows: list[tuple] = []
    event_rows: list[tuple] = []
    funds_rows: list[tuple] = []
    funds_rng = random.Random(seed + 11)  # its own stream: the other rows stay as they were
    columns = ("id", "code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
               "source_region", "marshal", "stage", "sector", "progress", "note", "created_at", "updated_at")

    def flush() -> None:
        con.executemany(f"INSERT INTO project ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        project_rows)
        con.executemany("INSERT INTO milestone (project_id, kind, planned_on, planned_precision, done, done_on, "
                        "precision, note) VALUES (?,?,?,?,?,?,?,?)", milestone_rows)
        con.executemany("INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) "
                        "VALUES ('project', ?, ?, ?, '招商办', 'zs import 台账.xlsx', NULL, NULL, ?)", event_rows)
        con.executemany("INSERT INTO funds (project_id, month, source, amount) VALUES (?,?,?,?)", funds_rows)
        funds_rows.clear()
        project_rows.clear()
        milestone_rows.clear()
        event_rows.clear()

    for p in projects(n, seed):
        pid = p.index + 1
        first = min(d for d, _ in p.dates.values())
        at = _ts(dt.datetime.combine(first, dt.time(9, 0)) + dt.timedelta(seconds=p.index % 30000))
        progress = rng.choice(PROGRESS) if rng.random() < 0.3 else None
        row = (pid, p.code, p.name, p.investor, p.wan, p.usd_wan, p.chain + 1, p.unit + 1, p.region,
               int(p.marshal), p.stage, None, progress, None, at, _ts(created))
        project_rows.append(row)
        event_rows.append((pid, pid, at, json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)))
        for kind, (day, precision) in p.dates.items():
            milestone_rows.append((pid, kind, None, None, 1, day.isoformat(), precision, None))
        # Steps on the way: the next stage planned, visits, permits, groundbreaking, capacity.
        last = max(d for d, _ in p.dates.values())
        extra = max(2, 10 - len(p.dates) + rng.randint(-2, 2))
        if p.stage in PATH[:-1]:
            nxt = "started" if p.stage == "signed" else PATH[PATH.index(p.stage) + 1]
            # Clerks re-plan at each dispatch: most open plans lie ahead of today, a fifth have slipped.
            planned = max(last + dt.timedelta(days=7), TODAY + dt.timedelta(days=rng.randint(-60, 240)))
            milestone_rows.append((pid, nxt, planned.isoformat(), "day", 0, None, None, None))
            extra -= 1
        if p.stage in ("started", "producing"):
            start = p.dates["started"][0]
            milestone_rows.append((pid, "groundbreaking", None, None, 1, start.isoformat(), "day", "奠基仪式"))
            extra -= 1
        if p.stage in ("started", "producing"):
            # 实际到位资金 month by month from the start, and 入库纳统 the month after it (own stream)
            start = p.dates["started"][0]
            month = start.replace(day=1)
            source = "foreign" if p.usd_wan and not p.wan else funds_rng.choice(("outside", "outside", "inside"))
            while month <= TODAY and funds_rng.random() < 0.8:
                funds_rows.append((pid, month.isoformat(), source, funds_rng.randint(50, 5000)))
                month = (month + dt.timedelta(days=32)).replace(day=1)
            registered = (start + dt.timedelta(days=31)).replace(day=1)
            if registered <= TODAY.replace(day=1):
                milestone_rows.append((pid, "registered", None, None, 1, registered.isoformat(), "month", None))
        if p.stage == "producing":
            planned = p.dates["producing"][0] + dt.timedelta(days=rng.randint(60, 360))
            milestone_rows.append((pid, "capacity", planned.isoformat(), "day", 0, None, None, "达产"))
            extra -= 1
        span = (TODAY - first).days
        for _ in range(extra):
            day = first + dt.timedelta(days=rng.randrange(span + 1))
            if rng.random() < 0.6:
                milestone_rows.append((pid, "visit", None, None, 1, day.isoformat(), "day", "走访企业"))
            elif rng.random() < 0.6:
                milestone_rows.append((pid, "other", None, None, 1, day.isoformat(), "day", rng.choice(OTHER_STEPS)))
            else:
                planned = max(day + dt.timedelta(days=7), TODAY + dt.timedelta(days=rng.randint(-30, 150)))
                milestone_rows.append((pid, "other", planned.isoformat(), "day", 0, None, None,
                                       rng.choice(OTHER_STEPS)))
        if len(project_rows) >= 20_000:
            flush()
    flush()

    trips = []
    leadership = len(UNITS)
    for _ in range(max(20, n // 10)):
        unit = leadership if rng.random() < 0.05 else rng.randrange(N_RANKED) + 1
        city = rng.choice(CITIES)
        day = WINDOW_START + dt.timedelta(days=rng.randrange((TODAY - WINDOW_START).days + 1))
        main = unit == leadership or rng.random() < 0.3
        trips.append((unit, rng.choice(LEADERS[:2] if unit == leadership else LEADERS[2:]), int(main),
                      day.isoformat(), city, REGIONS[city], rng.randint(0, 8), rng.randint(0, 3), None))
    con.executemany("INSERT INTO trip (unit_id, leader, is_main_leader, date, destination, region, visits, "
                    "negotiations, note) VALUES (?,?,?,?,?,?,?,?,?)", trips)

    name, start, end = CAMPAIGN
    con.execute("INSERT INTO campaign (id, name, start_on, end_on) VALUES (1, ?, ?, ?)",
                (name, start.isoformat(), end.isoformat()))
    per_unit = max(1, n // 300)  # a 100-day share of a year's pipeline, per unit
    targets = {"new_leads": per_unit * 3, "new_signed": per_unit, "new_signed_wan": per_unit * 30_000,
               "new_started": per_unit, "new_started_wan": per_unit * 25_000, "trips": max(2, n // 1000),
               "main_leader_trips": max(1, n // 3000)}
    con.executemany("INSERT INTO target (campaign_id, unit_id, metric, value) VALUES (1, ?, ?, ?)",
                    [(u + 1, metric, max(1, round(value * rng.uniform(0.7, 1.3))))
                     for u in range(N_RANKED) for metric, value in targets.items()])
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    _seal(tmp)
    os.replace(tmp, path)


def _seal(path: Path) -> None:
    """The audit log's chain over the events written here, as a writer's commit seals them."""
    from zhaoshang.db.engine import connect, dispose_all

    with connect(f"sqlite:///{path}", write=True):
        pass
    dispose_all()


# --------------------------------------------------------------------------- cache


def schema_head() -> str:
    from zhaoshang.db.schema import HEAD

    return HEAD


def xlsx_path(rows: int, seed: int = 1, inline: bool = False) -> Path:
    """The cached workbook of `rows` projects, generated on first use."""
    path = DATA_DIR / f"ledger-{rows}-s{seed}-g{XLSX_VERSION}{'-inline' if inline else ''}.xlsx"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        write_xlsx(path, rows, seed, inline)
    return path


def ledger_path(n: int, seed: int = 1) -> Path:
    """The cached SQLite ledger of `n` projects, generated on first use (keyed by the schema head too)."""
    path = DATA_DIR / f"ledger-{n}-s{seed}-g{LEDGER_VERSION}-h{schema_head()}.db"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        write_ledger(path, n, seed)
    return path


def empty_ledger() -> Path:
    """A migrated, empty ledger to copy before each import."""
    path = DATA_DIR / f"empty-h{schema_head()}.db"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        init_ledger(tmp)
        os.replace(tmp, path)
    return path


def copy_ledger(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["xlsx", "ledger"])
    parser.add_argument("--rows", "--projects", dest="n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inline-strings", action="store_true", help="xlsx: strings in their cells, as openpyxl "
                        "writes them (default: a shared-string table, as Excel and WPS write them)")
    parser.add_argument("--out", type=Path, help="write here instead of the cache")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.what == "xlsx":
        path = args.out or xlsx_path(args.n, args.seed, args.inline_strings)
        if args.out:
            write_xlsx(args.out, args.n, args.seed, args.inline_strings)
    else:
        path = args.out or ledger_path(args.n, args.seed)
        if args.out:
            write_ledger(args.out, args.n, args.seed)
    size = path.stat().st_size / 2**20
    print(f"{path} ({size:.1f} MiB, {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
