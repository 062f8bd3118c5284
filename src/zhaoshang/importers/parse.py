"""Parse: one project ledger row -> one ProjectRow (the fields the row states) or its cell errors.

This runs once per row of files with a million rows: plain local lookups, caches for every text a
parser has seen (stage words, dates, unit and chain names), no work for columns the sheet lacks.

What a row states: a blank cell states nothing (an update keeps the ledger's value), "/" or 待定 state
"unknown" (null), a yes/no column's blank is "no". Stages follow DESIGN §10: the row's stage word
and its stage dates may disagree, and then the furthest wins with a warning; a row that states no
stage at all takes its section's or its sheet's stage, else 线索.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhaoshang.importers.cells import (
    CellError,
    DateValue,
    amount_of,
    cleared,
    date_of,
    text_of,
    yes_no,
)
from zhaoshang.importers.funds import FundsCell, FundsColumns
from zhaoshang.importers.header import DATE_FIELD_STAGE, DATE_FIELDS, PLAN_FIELDS, Banner, Header
from zhaoshang.importers.locate import Sections
from zhaoshang.importers.problem_cells import ProblemCells, problem_cells
from zhaoshang.importers.tuijin import TuijinCells, has_cells
from zhaoshang.vocabulary.amounts import implausible
from zhaoshang.vocabulary.columns import TEXT_FIELDS
from zhaoshang.vocabulary.dates import FIRST_YEAR, LAST_YEAR, LedgerDate
from zhaoshang.vocabulary.problems import is_no_problem
from zhaoshang.vocabulary.stages import COUNTED_STAGES, STAGE_RANK, STAGE_ZH, TERMINATED, parse_stage
from zhaoshang.vocabulary.text import normalize_text

_ANNOTATION = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
AMOUNTS_CACHED = 100_000  # amounts typed as text, remembered (a million-row file repeats them)


@dataclass(slots=True)
class ProjectRow:
    """What one ledger row states about a project."""

    row: int  # 0-based row index in the sheet
    code: str | None
    name: str
    values: dict[str, Any]  # project columns the row states (investor, investment_wan, chain_id, …)
    stage: str  # the row's stage after DESIGN §10 (explicit, dates, section, sheet or 线索)
    stage_stated: bool  # the row itself named the stage or gave a stage date
    dates: dict[str, DateValue | None]  # stage -> done date (None: done, date unknown)
    plans: dict[str, DateValue]  # stage -> planned date
    amount_text: str | None = None
    amount_blank: bool = False  # the amount column is blank (and no 外资 either)
    problem: ProblemCells | None = None  # the row's 存在问题 (only on sheets with that column)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)  # (column or None, message)
    # 存在问题 of the rows below that continue this one (its name merged down over them): (row, cells)
    more_problems: list[tuple[int, ProblemCells]] = field(default_factory=list)
    undated: bool = False  # states a counted stage but not its date (投产 without 投产时间): in no window
    funds: list[FundsCell] | None = None  # its 到位资金 figures (importers/funds.py)


Resolver = Callable[[str, str], int]  # (kind "unit" | "chain", name) -> id; raises ValueError


class ProjectParser:
    """Parses the data rows of one project sheet."""

    def __init__(self, header: Header, banner: Banner, *, year: int | None, stage_words: dict[str, str],
                 resolve: Resolver, sheet_stage: str | None = None, today: dt.date | None = None) -> None:
        f = header.fields
        self.today = today
        self.f = f
        self.unit = header.units.get("amount") or banner.unit or "亿元"
        # No header or banner states the unit: bare numbers are 亿元 (DESIGN §6), said once per sheet.
        self.unit_assumed = not (header.units.get("amount") or banner.unit)
        self.usd_unit = "万美元"
        self.year = year or banner.year
        self.stage_words = stage_words
        self.resolve = resolve
        self.sheet_stage = sheet_stage
        self.reporting_unit = banner.reporting_unit if "unit" not in f else None
        self.labels = header.labels
        self.width = max(f.values()) + 1
        self.c_name: int = f["name"]
        self.c_code, self.c_amount, self.c_usd = f.get("code"), f.get("amount"), f.get("amount_usd")
        self.c_marshal, self.c_unit, self.c_chain = f.get("marshal"), f.get("unit"), f.get("chain")
        self.c_stage, self.c_progress, self.c_investor = f.get("stage"), f.get("progress"), f.get("investor")
        self.unit_ids: dict[str, int | None] = {}
        self.chain_ids: dict[str, int | None] = {}
        self.date_cols = [(f[k], DATE_FIELD_STAGE[k]) for k in DATE_FIELDS if k in f]
        self.plan_cols = [(f[k], stage) for k, stage in PLAN_FIELDS.items() if k in f]
        self.text_cols = [(f[k], k) for k in TEXT_FIELDS if k in f]
        self.has_stage = "stage" in f
        self.c_problem, self.c_problem_extra = f.get("problem"), f.get("problem_extra")
        self.problem_cols = {k: f.get(f"problem_{k}") for k in ("owner", "raised_on", "due_on", "resolved_on",
                                                                 "resolution")}
        self.stage_cache: dict[str, str | None] = {}
        self.raw_stages: dict[Any, str] = {}
        self.date_cache: dict[Any, DateValue | None] = {}
        self.amount_cache: dict[str, tuple[int | None, int | None] | ValueError | None] = {}
        self.yes_no_cache: dict[str, bool] = {}
        self.date_columns = {stage: col for col, stage in self.date_cols}
        # A date a month or more before today has happened, to the day or to the month.
        self.settled = today - dt.timedelta(days=31) if today is not None else None
        find = getattr(resolve, "find", None)
        self.sections = Sections(self._stage_word, (lambda label: find("unit", label)) if find is not None else None)
        self.no_stage_rows = 0
        self.funds = FundsColumns.of(f, header.units, banner.unit, self.year, today)
        self.tuijin = TuijinCells(header, banner, year=self.year, today=today, unit_id=lambda text: self._id(
            "unit", text, self.unit_ids)) if has_cells(header) else None

    def _stage_word(self, text: str) -> str | None:
        """The stage a word names; a note in brackets after it is set aside (已开工（主体施工）) when
        the word alone names one."""
        key = normalize_text(text)
        if key in self.stage_cache:
            return self.stage_cache[key]
        stage: str | None = None
        for candidate in (key, _ANNOTATION.sub("", key)):
            try:
                stage = parse_stage(candidate, self.stage_words)
                break
            except ValueError:
                continue
        self.stage_cache[key] = stage
        return stage

    # ----------------------------------------------------------------- rows

    def _id(self, kind: str, text: str, cache: dict[str, int | None]) -> int | None:
        """A unit's or chain's id by the name a cell gives (cached per import)."""
        try:
            return cache[text]
        except KeyError:
            pass
        ident = None if cleared(text) else self.resolve(kind, text)
        cache[text] = ident
        return ident

    def parse(self, row: list[Any], row_no: int) -> tuple[ProjectRow | None, list[CellError]]:
        """One data row. Runs once per row of million-row files: plain local lookups, caches for
        every text a parser has seen, no work for columns the sheet does not have."""
        if len(row) < self.width:
            row = [*row, *([""] * (self.width - len(row)))]
        warnings: list[tuple[int | None, str]] = []
        values: dict[str, Any] = {}

        value = row[self.c_name]
        name = value.strip() or None if value.__class__ is str else text_of(value)
        code = None
        if self.c_code is not None:
            value = row[self.c_code]
            code = value.strip() or None if value.__class__ is str else text_of(value)
            if code is not None and len(code) <= 3 and cleared(code):
                code = None
        errors: list[CellError] = CellError.of_row(row, (self.c_name, name), (self.c_code, code), self.c_investor)

        for col, key in self.text_cols:
            value = row[col]
            if value.__class__ is str:
                value = value.strip()
                if value:
                    values[key] = None if len(value) <= 3 and cleared(value) else value
            elif value is not None:
                text = text_of(value)
                if text is not None:
                    values[key] = text

        amount_text = None
        amount_blank = False
        col = self.c_amount
        if col is not None:
            value = row[col]
            if value == "" or value is None:
                amount_blank = self.c_usd is None or text_of(row[self.c_usd]) is None
            else:
                try:
                    amount = self._amount(value)
                    amount_text = text_of(value)
                    if amount is None:
                        values["investment_wan"] = None
                        if self.c_usd is None or text_of(row[self.c_usd]) is None:
                            warnings.append((col, f"{self.labels[col]}“{amount_text}”：金额未知，按空值录入"))
                    else:
                        wan, usd = amount
                        if implausible(wan):
                            if self.unit_assumed and not any(w in amount_text for w in "亿万"):  # type: ignore[operator]
                                reason = (f"金额“{amount_text}”没有单位：按亿元是{wan / 1e8:g}万亿元，"
                                          "请在表头注明（万元）或（亿元）")
                            else:
                                reason = (f"金额“{amount_text}”折合{wan / 1e8:g}万亿元，不像一个项目的投资额："
                                          f"请检查单位（此列按{self.unit}读）")
                            errors.append(CellError(col, value, reason))
                        elif wan is not None:
                            values["investment_wan"] = wan
                        if usd is not None:
                            values["investment_usd_wan"] = usd
                except ValueError as exc:
                    errors.append(CellError(col, value, str(exc)))
        col = self.c_usd
        if col is not None and (value := row[col]) != "" and value is not None:
            try:
                amount = amount_of(value, "万美元")
                if amount is None:
                    values.setdefault("investment_usd_wan", None)
                elif amount[1] is None:
                    errors.append(CellError(col, value, f"外资应为美元金额，而不是“{text_of(value)}”"))
                else:
                    values["investment_usd_wan"] = amount[1]
            except ValueError as exc:
                errors.append(CellError(col, value, str(exc)))

        col = self.c_marshal
        if col is not None:
            value = row[col]
            if value == "" or value is None:
                values["marshal"] = False
            elif value.__class__ is str and value in self.yes_no_cache:
                values["marshal"] = self.yes_no_cache[value]
            else:
                try:
                    values["marshal"] = yes_no(value)
                except ValueError as exc:
                    errors.append(CellError(col, value, str(exc)))
                else:
                    if value.__class__ is str and len(self.yes_no_cache) < 1000:
                        self.yes_no_cache[value] = values["marshal"]

        sections = self.sections
        unit_default = sections.unit or self.reporting_unit
        for col, kind, cache, default in ((self.c_unit, "unit", self.unit_ids, unit_default),
                                          (self.c_chain, "chain", self.chain_ids, sections.chain)):
            text = None
            if col is not None:
                value = row[col]
                text = value.strip() or None if value.__class__ is str else text_of(value)
            if text is None:
                text, col = default, None
                if text is None:
                    continue
            try:
                values[f"{kind}_id"] = self._id(kind, text, cache)
            except ValueError as exc:
                errors.append(CellError(col if col is not None else self.c_name, text, str(exc)))

        dates: dict[str, DateValue | None] = {}
        for col, stage in self.date_cols:
            value = row[col]
            cls = value.__class__
            if cls is dt.datetime and FIRST_YEAR <= value.year <= LAST_YEAR:
                dates[stage] = (value.date(), "day")
            elif value != "" and value is not None:
                try:
                    when = date_of(value, self.year, self.date_cache)
                except ValueError as exc:
                    errors.append(CellError(col, value, str(exc)))
                    continue
                if when is not None:
                    dates[stage] = when
        plans: dict[str, DateValue] = {}
        for col, stage in self.plan_cols:
            value = row[col]
            if value != "" and value is not None:
                try:
                    when = date_of(value, self.year, self.date_cache)
                except ValueError as exc:
                    # A plan (预计签约 2024年上半年, 6月底) is no fact: the project lands, the plan stays
                    # empty, the cell is named. A done date that cannot be read is a row error.
                    warnings.append((col, f"{self.labels[col]}“{text_of(value)}”未录入：{exc}"))
                    continue
                if when is not None:
                    plans[stage] = when

        stated = None
        undecided = None  # a 待定 (or 未定, /, …) stage cell: the row's dates decide the stage
        col = self.c_stage
        if col is not None and (value := row[col]) != "" and value is not None:
            try:
                stated = self.raw_stages[value]
            except KeyError:
                text = text_of(value)
                if text is not None and cleared(text):
                    undecided = text
                if text is not None and not cleared(text):
                    stated = self._stage_word(text)
                    if stated is None:
                        try:
                            parse_stage(text, self.stage_words)
                        except ValueError as exc:
                            errors.append(CellError(col, value, str(exc)))
                if stated is not None:
                    self.raw_stages[value] = stated
        if self.c_progress is not None and stated is None and not errors:
            text = values.get("progress")
            if text:
                stated = self._stage_word(text)

        problem = extra = None
        funds = self.funds.read(row, errors) if self.funds is not None else None
        if self.c_problem is not None:
            problem = problem_cells(row, self.c_problem, self.problem_cols, self.labels, self.year,
                                    self.date_cache, lambda owner: self._id("unit", owner, self.unit_ids),
                                    errors, warnings)
            if self.c_problem_extra is not None and not is_no_problem(text := text_of(row[self.c_problem_extra])):
                # 存在问题 | 需协调事项 side by side: both are for the dispatch meeting, with the same owner
                extra = ProblemCells(text, *(
                    (problem.owner_unit_id, problem.raised_on, problem.due_on) if problem else ()))  # type: ignore[arg-type]

        completion = self.tuijin.read(row, values, errors, warnings, self.date_cache) if self.tuijin else None
        if errors or name is None:
            return None, errors
        if self.today is not None:
            self._future_dates(dates, plans, warnings)
        stage_stated = stated is not None or bool(dates)
        ranked = [s for s in dates if s in STAGE_RANK]
        if stated == TERMINATED or TERMINATED in dates:
            stage = TERMINATED
        elif ranked:
            furthest = max(ranked, key=STAGE_RANK.__getitem__)
            if stated is not None and STAGE_RANK[furthest] > STAGE_RANK[stated]:
                said, dated = STAGE_ZH[stated], STAGE_ZH[furthest]
                warnings.append((None, f"阶段为{said}，但已填{dated}时间：按{dated}处理"))
            elif stated is None and undecided is not None:
                dated = STAGE_ZH[furthest]
                warnings.append((self.c_stage, f"项目阶段“{undecided}”：按已填的{dated}时间记为{dated}"))
            stage = furthest if stated is None or STAGE_RANK[furthest] > STAGE_RANK[stated] else stated
        elif stated is not None:
            stage = stated
        else:
            stage = sections.stage or self.sheet_stage or "lead"
            if sections.stage is None and self.sheet_stage is None:
                self.no_stage_rows += 1
        if self.tuijin is not None:
            stage, stage_stated = self.tuijin.settle(values, stage, stage_stated, self._stage_word, warnings,
                                                     completion, dates, plans)
        if stage not in dates:
            dates[stage] = None
        parsed = ProjectRow(row_no, code, name, values, stage, stage_stated, dates, plans, amount_text,
                            amount_blank, problem, warnings, funds=funds)
        parsed.undated = stage_stated and stage in COUNTED_STAGES and dates[stage] is None
        if extra is not None:
            parsed.more_problems.append((row_no, extra))
        return parsed, errors

    def _amount(self, value: Any) -> tuple[int | None, int | None] | None:
        """amount_of in the sheet's unit, a text's result (or its ValueError) remembered."""
        if value.__class__ is not str:
            return amount_of(value, self.unit)
        cache = self.amount_cache
        try:
            found = cache[value]
        except KeyError:
            try:
                found = amount_of(value, self.unit)
            except ValueError as exc:
                found = exc
            if len(cache) < AMOUNTS_CACHED:
                cache[value] = found
        if isinstance(found, ValueError):
            raise found
        return found

    def _future_dates(self, dates: dict[str, DateValue | None], plans: dict[str, DateValue],
                      warnings: list[tuple[int | None, str]]) -> None:
        """A stage date that has not happened yet (LedgerDate.after) is the plan, not a fact: it is
        recorded as the planned date, said with its cell — beside a lower stage word (洽谈中 with 签约时间
        2027年3月) and beside the stage word itself (已签约 with 签约时间 2099-01-01: signed, its day not
        yet known). Typed at the command line, the same date is refused unless --force."""
        assert self.today is not None and self.settled is not None
        settled = self.settled
        recent = [(stage, when) for stage, when in dates.items()
                  if when is not None and when[0] > settled and stage in STAGE_RANK]
        columns = self.date_columns
        for stage, when in recent:
            day, precision = when
            if not LedgerDate.stored(day, precision).after(self.today):  # type: ignore[union-attr]
                continue
            label = self.labels[columns[stage]] if stage in columns else STAGE_ZH[stage]
            shown = day.isoformat()[:7] if precision == "month" else day.isoformat()
            del dates[stage]
            if stage in plans:
                warnings.append((columns.get(stage), f"{label}“{shown}”晚于今天：未录入（已有计划时间）"))
            else:
                plans[stage] = when
                warnings.append((columns.get(stage), f"{label}“{shown}”晚于今天：按计划时间录入"))
