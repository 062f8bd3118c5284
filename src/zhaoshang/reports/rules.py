"""Scoring rules as data: a versioned TOML file (weights, caps, tiers, deductions, bonuses).

The default file ships in the package (reports/rules/default-2023.toml) and matches DESIGN §5. A bad
file is one clear error naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from zhaoshang.errors import BadValue
from zhaoshang.reports.metrics import BANDS, SCORABLE

DEFAULT_FILE = "default-2023.toml"
DEDUCTION_KINDS = ("overdue_start", "stalled", "late_return", "missing_return")
BONUS_KINDS = ("band", "marshal")
ADJUSTMENT_ZH = {
    "overdue_start": "计划开工逾期",
    "stalled": "签约未开工",
    "late_return": "周报表迟报",
    "missing_return": "周报表未报",
    "band": "大项目加分",
    "marshal": "挂帅项目加分",
}


@dataclass(frozen=True)
class Adjustment:
    """A deduction or bonus: `per` points for each qualifying project, at most `max`."""

    kind: str
    sign: int  # -1 deduction, +1 bonus
    per: float
    max: float | None = None
    band: str | None = None
    days: int | None = None

    def label(self, lang: str = "zh") -> str:
        if lang == "en":
            extra = f" >= {self.band}00M" if self.band else (f" {self.days}d" if self.days else "")
            return f"{self.kind}{extra}"
        if self.kind == "band":
            return f"{self.band}亿元以上项目加分"
        if self.kind == "stalled" and self.days:
            return f"签约{self.days}天未开工"
        return ADJUSTMENT_ZH[self.kind]


@dataclass
class Rules:
    version: str
    name: str
    cap: float
    weights: dict[str, float]
    caps: dict[str, float] = field(default_factory=dict)
    tiers: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    adjustments: list[Adjustment] = field(default_factory=list)
    stall_days: int = 90
    fallback: list[str] = field(default_factory=list)
    support_share: float = 0.0  # [support] share: a supporting unit's credit per project (lead: whole)
    text: str = ""
    source: str = ""

    def cap_of(self, metric: str) -> float:
        return self.caps.get(metric, self.cap)

    def term(self, metric: str, completion: float) -> float:
        """min(completion, cap), through the metric's tiers when it has some."""
        value = completion
        steps = self.tiers.get(metric)
        if steps:
            value = next((v for at, v in steps if completion >= at), 0.0)
        return min(value, self.cap_of(metric))


def default_text() -> str:
    return resources.files("zhaoshang.reports").joinpath("rules", DEFAULT_FILE).read_text(encoding="utf-8")


def default_rules() -> Rules:
    return parse_rules(default_text(), DEFAULT_FILE)


def load_rules(path: str | Path) -> Rules:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadValue(f"评分规则文件不存在：{p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadValue(f"评分规则文件 {p} 无法读取：{exc}") from None
    return parse_rules(text, str(p))


def _number(source: str, key: str, value: Any, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadValue(f"评分规则 {source}：{key} = {value!r} 不是数字。")
    if value < minimum:
        raise BadValue(f"评分规则 {source}：{key} = {value} 不能小于 {minimum}。")
    return float(value)


def _metric(source: str, section: str, key: str) -> str:
    if key not in SCORABLE:
        raise BadValue(f"评分规则 {source}：[{section}] 中的指标“{key}”无效。", f"可用：{', '.join(SCORABLE)}。")
    return key


def _table(source: str, data: dict, key: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise BadValue(f"评分规则 {source}：[{key}] 应为一个表。")
    return value


def parse_rules(text: str, source: str) -> Rules:
    """Read and check a rules file; every problem names the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadValue(f"评分规则 {source} 不是有效的 TOML：{exc}") from None
    known = {"version", "name", "score", "weights", "caps", "tiers", "stalled", "ranking", "deductions", "bonuses",
             "support"}
    for key in data:
        if key not in known:
            raise BadValue(f"评分规则 {source}：未知的项“{key}”。", f"可用：{', '.join(sorted(known))}。")
    _strict(source, data)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise BadValue(f"评分规则 {source}：缺少 version（规则版本）。")
    score = _table(source, data, "score")
    cap = _number(source, "score.cap", score.get("cap", 1.2))
    weights = {_metric(source, "weights", k): _number(source, f"weights.{k}", v)
               for k, v in _table(source, data, "weights").items()}
    caps = {_metric(source, "caps", k): _number(source, f"caps.{k}", v)
            for k, v in _table(source, data, "caps").items()}
    tiers: dict[str, list[tuple[float, float]]] = {}
    for k, steps in _table(source, data, "tiers").items():
        _metric(source, "tiers", k)
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            raise BadValue(f"评分规则 {source}：tiers.{k} 应为 [{{ at = …, value = … }}, …]。")
        parsed = [(_number(source, f"tiers.{k}.at", s.get("at")), _number(source, f"tiers.{k}.value", s.get("value")))
                  for s in steps]
        tiers[k] = sorted(parsed, reverse=True)
    stalled = _table(source, data, "stalled")
    stall_days = int(_number(source, "stalled.days", stalled.get("days", 90)))
    fallback = _table(source, data, "ranking").get("fallback", [])
    if not isinstance(fallback, list):
        raise BadValue(f"评分规则 {source}：ranking.fallback 应为指标列表。")
    fallback = [_metric(source, "ranking", k) for k in fallback]
    share = _number(source, "support.share", _table(source, data, "support").get("share", 0))
    if share > 1:
        raise BadValue(f"评分规则 {source}：support.share = {share} 不能大于 1。")
    adjustments = [_adjustment(source, "deductions", i, a, -1) for i, a in enumerate(data.get("deductions", []))]
    adjustments += [_adjustment(source, "bonuses", i, a, 1) for i, a in enumerate(data.get("bonuses", []))]
    return Rules(version=version.strip(), name=str(data.get("name", version)), cap=cap, weights=weights, caps=caps,
                 tiers=tiers, adjustments=adjustments, stall_days=stall_days, fallback=fallback,
                 support_share=share, text=text, source=source)


def _adjustment(source: str, section: str, index: int, item: Any, sign: int) -> Adjustment:
    where = f"{section}[{index + 1}]"
    if not isinstance(item, dict):
        raise BadValue(f"评分规则 {source}：{where} 应为一个表（[[{section}]]）。")
    kinds = DEDUCTION_KINDS if sign < 0 else BONUS_KINDS
    kind = item.get("kind")
    if kind not in kinds:
        raise BadValue(f"评分规则 {source}：{where}.kind = {kind!r} 无效。", f"可用：{', '.join(kinds)}。")
    per = _number(source, f"{where}.per", item.get("per"))
    cap = item.get("max")
    band = item.get("band")
    if kind == "band":
        band = str(band) if band is not None else None
        if band not in BANDS:
            raise BadValue(f"评分规则 {source}：{where}.band = {item.get('band')!r} 无效。",
                           "可用：1、10、50、100（亿元）。")
    days = item.get("days")
    if days is not None:
        days = int(_number(source, f"{where}.days", days, minimum=1))
    return Adjustment(kind, sign, per, _number(source, f"{where}.max", cap) if cap is not None else None,
                      band if kind == "band" else None, days)


def _strict(source: str, data: dict) -> None:
    """Every key known and every value of its type (pydantic, strict): `[score] capp` or
    `[stalled] days = 30.7` is an error naming the key, never a silent default."""
    from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError

    number = StrictInt | StrictFloat

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

    class Score(Strict):
        cap: number = 1.2  # type: ignore[valid-type]

    class Stalled(Strict):
        days: StrictInt = 90

    class Ranking(Strict):
        fallback: list[StrictStr] = Field(default_factory=list)

    class Support(Strict):
        share: number = 0  # type: ignore[valid-type]

    class Tier(Strict):
        at: number  # type: ignore[valid-type]
        value: number  # type: ignore[valid-type]

    class Adjust(Strict):
        kind: StrictStr
        per: number  # type: ignore[valid-type]
        max: number | None = None  # type: ignore[valid-type]
        band: StrictInt | StrictStr | None = None
        days: StrictInt | None = None

    class File(Strict):
        version: StrictStr
        name: StrictStr | None = None
        score: Score = Score()
        weights: dict[str, number] = Field(default_factory=dict)  # type: ignore[valid-type]
        caps: dict[str, number] = Field(default_factory=dict)  # type: ignore[valid-type]
        tiers: dict[str, list[Tier]] = Field(default_factory=dict)
        stalled: Stalled = Stalled()
        ranking: Ranking = Ranking()
        support: Support = Support()
        deductions: list[Adjust] = Field(default_factory=list)
        bonuses: list[Adjust] = Field(default_factory=list)

    try:
        File.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) if not isinstance(p, int) else str(p + 1) for p in first["loc"]
               if p not in ("int", "float", "str")]
        section, key = (loc[:-1], loc[-1]) if loc else ([], "")
        where = ".".join([*section, key])
        if first["type"] == "extra_forbidden":
            raise BadValue(f"评分规则 {source}：未知的项 {where}。", "请检查拼写（unknown key）。") from None
        if first["type"] == "missing":
            raise BadValue(f"评分规则 {source}：缺少 {where}。") from None
        value = first.get("input")
        kinds = {e["type"] for e in exc.errors() if e["loc"][:len(first["loc"]) - 1] == first["loc"][:-1]}
        want = "数字" if "float_type" in kinds else "整数" if "int_type" in kinds or "int_from_float" in kinds \
            else "文字" if "string_type" in kinds else "表"
        raise BadValue(f"评分规则 {source}：{where} = {value!r} 应为{want}（{first['msg']}）。") from None
