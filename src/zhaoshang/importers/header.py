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
from zhaoshang.importers.funds import funds_field
from zhaoshang.vocabulary.columns import CATALOGUE, METRIC_ALIASES, aliases
from zhaoshang.vocabulary.labels import METRIC_ZH
from zhaoshang.vocabulary.stages import STAGE_DATE_KEY
from zhaoshang.vocabulary.text import normalize_text
from zhaoshang.vocabulary.tuijin import as_of_month, investment_field

HEAD_ROWS = 30  # the header must start within the first 30 rows

# Field keys of a project sheet: these are also the keys a --map file may name.
DATE_FIELDS = (*STAGE_DATE_KEY.values(), "registered_on")  # planned_on, lead_on, …, terminated_on; 入库纳统
DATE_FIELD_STAGE = {v: k for k, v in STAGE_DATE_KEY.items()} | {"registered_on": "registered"}
PLAN_FIELDS = {"plan_signed_on": "signed", "plan_ready_on": "ready", "plan_started_on": "started",
               "plan_produced_on": "producing"}

# The project-sheet fields that describe its 存在问题 column.
PROBLEM_FIELDS = ("problem_owner", "problem_raised_on", "problem_due_on", "problem_resolved_on",
                  "problem_resolution")
# Each kind of sheet's fields with their header words, from the column catalogue.
_ALIASES: dict[str, dict[str, str]] = {kind: aliases(kind) for kind in CATALOGUE}
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
    "funds": (("month",), ("code",), ("amount", "amount_usd")),
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
MAP_KEYS: dict[str, str] = {"investment": "amount", "investment_wan": "amount", "investment_usd_wan": "amount_usd",
                            "总投资": "amount", "外资": "amount_usd", "忽略": "ignore", "ignore": "ignore"}


@dataclass(frozen=True)
class HeaderText:
    base: str  # normalised, unit and brackets removed
    unit: str | None


def header_text(value: Any) -> HeaderText:
    """Normalise a header cell: 总投资（亿元） → (总投资, 亿元); 计划总投资/万元 → (计划总投资, 万元)."""
    if value is None or value == "":
        return HeaderText("", None)
    text = normalize_text(str(value)).lstrip("*★※").rstrip(":：")
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
        for metric, words in METRIC_ALIASES.items():
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
    as_of: tuple[int, int] | None = None  # (year, month) of 统计时间：2023年8月31日 / 截至2023年8月底


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
            banner.as_of = banner.as_of or as_of_month(text)
    return banner


def _lookup(kind: str, text: HeaderText, user_map: dict[str, str]) -> str | None:
    if not text.base or text.base in user_map:
        return user_map.get(text.base) if text.base else None
    found = _lookups()[kind].get(text.base)
    if found is None and kind == "project":  # 存在问题及需协调事项 … (words without end); 1-6月累计到位; 2023年计划投资
        found = "problem" if _PROBLEM_LIKE.match(text.base) else funds_field(text.base) or investment_field(text.base)
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
    from zhaoshang.importers.read import column_letter
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

    from zhaoshang.vocabulary.stages import parse_stage

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
