"""A project ledger sheet: its rows classified, parsed, matched and written a batch at a time.

A later row for the same project in one file wins; the earlier is reported. A row under a project
whose name is merged down over it adds its 存在问题 to that project. A declared clerk imports only
their units' rows. A sheet with a 存在问题 column records its problems a batch at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from zhaoshang.importers.cells import CellError
from zhaoshang.importers.classify import DATA, SECTION, is_figure, project_classifier
from zhaoshang.importers.duplicates import key_text, row_key
from zhaoshang.importers.locate import LocatedSheet, sheet_stage_of
from zhaoshang.importers.parse import ProjectParser, ProjectRow
from zhaoshang.models import Problem, Project
from zhaoshang.services import users
from zhaoshang.services.imports import funds as funds_step
from zhaoshang.services.imports import tuijin
from zhaoshang.services.imports.result import RejectedSheet, SheetResult
from zhaoshang.services.imports.run import Run
from zhaoshang.services.imports.write import insert_projects, update_projects
from zhaoshang.services.notes import NoteRow, record_notes
from zhaoshang.services.problems import ProblemRow, record_problems
from zhaoshang.vocabulary.labels import FIELD_ZH
from zhaoshang.vocabulary.problems import problem_key, split_problems
from zhaoshang.vocabulary.stages import STAGE_ZH
from zhaoshang.vocabulary.weeks import week_of


def project_sheet(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet) -> None:
    from zhaoshang.services.stages import word_map

    words = word_map(run.ctx.session) | run.options.stage_words
    sheet_stage = sheet_stage_of(sheet.info.name) or sheet_stage_of(sheet.banner.title or "")
    parser = ProjectParser(sheet.header, sheet.banner, year=run.options.year, stage_words=words,
                           resolve=run.names, sheet_stage=sheet_stage, today=run.ctx.today)
    if "unit" not in sheet.header.fields and parser.reporting_unit is None:
        # One sheet per unit (税郭镇, 孟庄镇 …) and no 责任单位 column: a sheet named for a unit of the
        # ledger is that unit's. Any other sheet name is not taken for a unit.
        try:
            unit = run.names.find("unit", sheet.info.name.strip())
        except ValueError:
            unit = None
        if unit is not None:
            parser.reporting_unit = unit
            run.warn(f"{run.file}:{sheet.info.name} 没有责任单位列：按工作表名记为“{unit}”的项目")
    if parser.unit_assumed and "amount" in sheet.header.fields:
        label = sheet.header.labels[sheet.header.fields["amount"]]
        run.warn(f"{run.file}:{sheet.info.name} “{label}”列没有注明单位，不带单位的数按亿元读")
    _rows(run, sheet, counts, rej, parser)
    if parser.no_stage_rows:
        run.warn(f"{run.file}:{sheet.info.name} 有 {parser.no_stage_rows} 行没有阶段和日期，按“线索”录入"
                 "（没有日期，不计入任何统计期）")
    undated(run, sheet)


UNDATED_SHOWN = 5


def undated(run: Run, sheet: LocatedSheet) -> None:
    """One line for the sheet's new projects entered at a stage without its date (线索, 在谈, 投产 with
    no 投产时间): such a stage counts in no report window, as add-project says."""
    rows = run.undated.pop(sheet.info.name, [])
    if not rows:
        return
    by_stage: dict[str, int] = {}
    for _, stage in rows:
        by_stage[stage] = by_stage.get(stage, 0) + 1
    parts = "、".join(f"{STAGE_ZH[s]} {n}" for s, n in by_stage.items())
    col = sheet.header.fields.get("stage", sheet.header.fields["name"])
    cells = "、".join(run.where(sheet.info.name, r, col, sheet.data.col_offset).split("!", 1)[1]
                     for r, _ in rows[:UNDATED_SHOWN]) + ("…" if len(rows) > UNDATED_SHOWN else "")
    run.warn(f"{run.file}:{sheet.info.name} 有 {len(rows)} 行的阶段没有日期（{parts}），不计入任何统计期"
             f"（新增线索、新签约、新投产…）：{cells}；可在表中补上日期，或用 zs projects advance … --date")


def _rows(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet, parser: ProjectParser) -> None:
    f = sheet.header.fields
    code_col, name_col = f.get("code"), f["name"]
    classify = project_classifier(f, sheet.header.cells)
    batch: list[ProjectRow] = []
    size = run.options.batch_size
    offset = sheet.data.col_offset
    duplicates = run.duplicates
    seen = duplicates.kind  # the kinds the first pass found: each row is classified once
    previous: ProjectRow | None = None  # the last row taken, while rows below may continue it
    raw: dict[int, list[Any]] = {}  # the batch's rows as read, for a row the matching refuses
    for row_no, row in sheet.rows():
        top = sheet.continued.get(row_no)
        if top is not None:
            if previous is not None and previous.row == top:
                continue_row(run, sheet, previous, row, row_no, parser, counts, rej)
            continue
        previous = None
        if len(batch) >= size:
            apply_projects(run, sheet, batch, counts, rej, raw)
            batch, raw = [], {}
        kind, label = seen(sheet, row_no) or classify(row)
        if kind == DATA and (known := known_heading(run, row, name_col)) is not None:
            kind, label = SECTION, known
        if kind != DATA:
            if kind == SECTION and label is not None:
                parser.sections.heading(label)
            continue
        run.tick()
        run.at_row(sheet, row_no)
        counts.rows += 1
        if run.options.refused and (refused := run.options.refused.get((sheet.info.name, row_no))):
            run.reject(sheet, rej, row_no, row, refused, counts)  # a return's edited locked cell
            continue
        parsed, errors = parser.parse(row, row_no)
        if duplicates.latest:
            key = row_key(row, code_col, name_col, f.get("investor"), f.get("unit"))
            later = duplicates.later(sheet, row_no, key)
            if later is not None:
                where = duplicates.latest[hash(key)]
                run.note(f"{run.where(sheet.info.name, row_no)}：与后面的{later}是同一项目（{key_text(key)}），"  # type: ignore[arg-type]
                         "以后者为准", ("superseded", sheet.info.name, duplicates.sheet_names.get(where[0], "")))
                continue
        if errors or parsed is None:
            # What the sections above the row gave it, so that the fixed row imports alike.
            sections = parser.sections
            ctx = {k: v for k, v, field_ in (("所属产业链", sections.chain, "chain"),
                                              ("责任单位", sections.unit, "unit"),
                                              ("项目阶段", STAGE_ZH.get(sections.stage or ""), "stage"))
                   if v and field_ not in f} or None
            run.reject(sheet, rej, row_no, row, errors, counts, ctx)
            continue
        for col_, message in parsed.warnings:
            run.warn(f"{run.where(sheet.info.name, row_no, col_, offset)}：{message}")
        batch.append(parsed)
        raw[row_no] = row
        previous = parsed
    apply_projects(run, sheet, batch, counts, rej, raw)


_FIGURE_SIGNS = frozenset("=+-.,，")  # with a digit of any script, how a figure starts (classify.is_figure)


def known_heading(run: Run, row: list[Any], name_col: int) -> str | None:
    """A row whose only words are, in or before the name column, the name of a unit or chain the
    ledger has (区城市建设投资集团, 锂电新能源产业链): that unit's or chain's block heading, even
    with its subtotal beside it."""
    found = None
    for j, value in enumerate(row):
        if isinstance(value, str) and (text := value.strip()) and \
                (not (text[0] in _FIGURE_SIGNS or text[0].isdecimal()) or not is_figure(text)):
            if found is not None or j > name_col:  # a second word (a project row's name, investor …)
                return None
            found = text
    return found if found is not None and run.names.known(found) else None


def continue_row(run: Run, sheet: LocatedSheet, previous: ProjectRow, row: list[Any], row_no: int,
                 parser: ProjectParser, counts: SheetResult, rej: RejectedSheet) -> None:
    """A row under a project whose name is merged down over it: it adds its 存在问题 to the
    project; what else it states differently from the project's first row is not taken."""
    run.at_row(sheet, row_no)
    parsed, errors = parser.parse(row, row_no)
    if errors or parsed is None:
        counts.rows += 1
        run.reject(sheet, rej, row_no, row, errors, counts, None)
        return
    if parsed.problem is not None:
        previous.more_problems.append((row_no, parsed.problem))
    differs = [k for k, v in parsed.values.items() if k in previous.values and previous.values[k] != v
               and k not in ("progress", "next_step", "note")]
    if differs:
        labels = "、".join(FIELD_ZH.get(k, k) for k in differs)
        first = previous.row + 1
        run.warn(f"{run.where(sheet.info.name, row_no)}：与第 {first} 行是同一项目（项目名称为合并单元格），"
                 f"只取其存在问题；{labels}以第 {first} 行为准")


def apply_projects(run: Run, sheet: LocatedSheet, batch: list[ProjectRow], counts: SheetResult,
                   rej: RejectedSheet, raw: dict[int, list[Any]]) -> None:
    """A batch of parsed rows: matched to the ledger, then inserted or updated, with their problems."""
    if not batch:
        return
    matched, new, ambiguous = run.matcher.match(batch)
    for r, pids in ambiguous:
        codes = "、".join(run.matcher.codes(pids))
        reason = f"账本中有 {len(pids)} 个同名同投资方的项目（{codes}），请填项目编号"
        run.reject(sheet, rej, r.row, raw.get(r.row, []), [CellError(sheet.header.fields["name"], r.name, reason)],
                   counts)
    matched, new = only_own_units(run, sheet, matched, new, counts, rej, raw)
    if run.options.unit_id is not None:
        matched, new = only_return_unit(run, sheet, matched, new, counts, rej, raw)
    matched = funds_step.check(run, sheet, matched, counts, rej, raw)
    if tuijin.stated(sheet):
        matched = tuijin.check(run, sheet, matched, counts, rej, raw)
    # Bulk writes pass by the session's checks: a declared clerk imports only their units' rows.
    users.require_units(run.ctx, {r.values.get("unit_id") for r in new}
                        | {r.values["unit_id"] for r, _ in matched if "unit_id" in r.values})
    users.require_projects(run.ctx, {pid for _, pid in matched})
    entered = [r for r in new if r.undated]  # (a matched project moved on without a date: write.next_stage)
    if entered:
        run.undated.setdefault(sheet.info.name, []).extend((r.row, r.stage) for r in entered)
    if tuijin.stated(sheet):
        tuijin.leaders_first(run, sheet, [*new, *(r for r, _ in matched)])
    matched_new = list(zip(new, insert_projects(run, sheet, new, counts), strict=True)) if new else []
    changing = update_projects(run, sheet, matched, counts) if matched else set()
    if tuijin.stated(sheet):  # leaders, supporting units, investment: a row changing only these is updated
        touched = tuijin.row_tuijin(run, sheet, [*matched_new, *matched], {pid for _, pid in matched_new})
        moved = len((touched & {pid for _, pid in matched}) - changing)
        counts.updated, counts.unchanged = counts.updated + moved, counts.unchanged - moved
    if "problem" in sheet.header.fields:
        row_problems(run, sheet, [*matched_new, *matched])
    if "progress" in sheet.header.fields or "next_step" in sheet.header.fields:
        row_notes(run, sheet, [*matched_new, *matched])
    funds_step.write(run, sheet, [*matched_new, *matched])
    run.writes.flush()


def only_own_units(run: Run, sheet: LocatedSheet, matched: list[tuple[ProjectRow, int]], new: list[ProjectRow],
                   counts: SheetResult, rej: RejectedSheet, raw: dict[int, list[Any]],
                   ) -> tuple[list[tuple[ProjectRow, int]], list[ProjectRow]]:
    """A clerk imports the city's workbook with their rows filled in: the other units' rows that
    change nothing are passed over (unchanged), those that would change something are row errors
    naming the unit, and the clerk's own rows land. Admins and names that are no user are not
    restricted; a viewer's import is refused as a whole (by the checks after this)."""
    rights = run.rights
    if rights is None or rights.role != "clerk":
        return matched, new
    own = rights.unit_ids
    unit_col = sheet.header.fields.get("unit", sheet.header.fields["name"])
    names = {i: n for n, i in run.names.ids["unit"].items()}  # the import's own map, kept as it creates units

    def refuse(r: ProjectRow, unit_id: int | None, verb: str) -> None:
        whose = f"{names.get(unit_id, '')}的" if unit_id is not None else "未指定责任单位的"
        run.reject(sheet, rej, r.row, raw.get(r.row, []), [CellError(
            unit_col, names.get(unit_id, ""), f"{rights.user}（填报员）无权{verb}{whose}项目")], counts)

    kept_new = []
    for r in new:
        if r.values.get("unit_id") in own:
            kept_new.append(r)
        else:
            refuse(r, r.values.get("unit_id"), "新增")
    if not matched:
        return matched, kept_new
    P = Project.__table__  # type: ignore[attr-defined]
    units = {i: u for i, u in run.conn.execute(
        select(P.c.id, P.c.unit_id).where(P.c.id.in_([pid for _, pid in matched])))}
    foreign = [(r, pid) for r, pid in matched
               if units.get(pid) not in own or r.values.get("unit_id", units.get(pid)) not in own]
    if not foreign:
        return matched, kept_new
    changing = update_projects(run, sheet, foreign, counts, probe=True)
    for r, pid in foreign:
        if pid in changing:
            refuse(r, units.get(pid) if units.get(pid) not in own else r.values.get("unit_id"), "修改")
        else:
            counts.unchanged += 1
    skip = {id(r) for r, _ in foreign}
    return [(r, pid) for r, pid in matched if id(r) not in skip], kept_new


def only_return_unit(run: Run, sheet: LocatedSheet, matched: list[tuple[ProjectRow, int]], new: list[ProjectRow],
                     counts: SheetResult, rej: RejectedSheet, raw: dict[int, list[Any]],
                     ) -> tuple[list[tuple[ProjectRow, int]], list[ProjectRow]]:
    """A unit's weekly return speaks for its own projects: a row about another unit's project, or one
    moving a project to another unit, is a row error naming that unit; a new row is the unit's."""
    own = run.options.unit_id
    names = {i: n for n, i in run.names.ids["unit"].items()}
    f = sheet.header.fields
    P = Project.__table__  # type: ignore[attr-defined]
    units, investors = {}, {}
    for i, u, investor in (run.conn.execute(select(P.c.id, P.c.unit_id, P.c.investor).where(
            P.c.id.in_([pid for _, pid in matched]))) if matched else []):
        units[i], investors[i] = u, investor

    def refuse(r: ProjectRow, col: int, unit_id: int | None, what: str) -> None:
        whose = names.get(unit_id, "其他单位") if unit_id is not None else "未指定责任单位"
        value = r.code if col == f.get("code") else r.name
        run.reject(sheet, rej, r.row, raw.get(r.row, []), [CellError(col, value or "", f"{what}{whose}的项目，"
                                                                    f"不在{names.get(own, '本单位')}的报表之列")],
                   counts)

    kept = []
    for r, pid in matched:
        if units.get(pid) != own and not r.code and not r.values.get("investor") and not investors.get(pid):
            new.append(r)  # the same name without an investor in another unit is another project
        elif units.get(pid) != own:
            refuse(r, f.get("code", f["name"]), units.get(pid), "这是")
        elif r.values.get("unit_id", own) != own:
            refuse(r, f.get("unit", f["name"]), r.values["unit_id"], "不能在报表中改为")
        else:
            kept.append((r, pid))
    kept_new = []
    for r in new:
        if r.values.get("unit_id") is None:
            r.values["unit_id"] = own
        if r.values["unit_id"] != own:
            refuse(r, f.get("unit", f["name"]), r.values["unit_id"], "新增行是")
        else:
            kept_new.append(r)
    return kept, kept_new


def row_problems(run: Run, sheet: LocatedSheet, rows: list[tuple[ProjectRow, int]]) -> None:
    """The batch's 存在问题 cells, recorded in one pass."""
    file_sheet = f"{run.file}:{sheet.info.name}!row "
    problems = [ProblemRow(pid, c.text, c.owner_unit_id, c.due_on, c.raised_on, file_sheet + str(row + 1),
                           c.resolved_on, c.resolution)
                for r, pid in rows
                for row, c in ([(r.row, r.problem)] if r.problem is not None else []) + r.more_problems]
    if problems:
        run.result.problems.add(record_problems(run.ctx, problems, run.bulk, raised=run.options.problems_raised_on))
    if not run.fresh():
        for r, pid in rows:
            stated = run.stated_problems.setdefault(pid, set())
            for _row, c in ([(r.row, r.problem)] if r.problem is not None else []) + r.more_problems:
                stated.update(problem_key(t) for t in split_problems(c.text))


def row_notes(run: Run, sheet: LocatedSheet, rows: list[tuple[ProjectRow, int]]) -> None:
    """The batch's 本周进展 and 下步计划 cells: the week's progress notes, in one pass."""
    week = run.options.note_week or week_of(run.ctx.today)
    file_sheet = f"{run.file}:{sheet.info.name}!row "
    notes = [NoteRow(pid, week, r.values.get("progress"), r.values.get("next_step"), file_sheet + str(r.row + 1))
             for r, pid in rows if r.values.get("progress") or r.values.get("next_step")]
    if notes:
        run.result.notes.add(record_notes(run.ctx, notes, run.bulk))


def dropped_problems(run: Run) -> None:
    """Open problems of this file's projects that their rows no longer state (a clerk edits or
    clears the 存在问题 cell once it is solved): said, never resolved by guess."""
    table = Problem.__table__  # type: ignore[attr-defined]
    P = Project.__table__  # type: ignore[attr-defined]
    pids = sorted(run.stated_problems)
    dropped = []
    for i in range(0, len(pids), 900):
        query = (select(table.c.id, table.c.project_id, table.c.text, P.c.code)
                 .join(P, P.c.id == table.c.project_id)
                 .where(table.c.project_id.in_(pids[i:i + 900]), table.c.resolved_on.is_(None))
                 .order_by(table.c.id))
        dropped += [(pid_, code, ident, text) for ident, pid_, text, code in run.conn.execute(query)
                    if problem_key(text) not in run.stated_problems[pid_]]
    for _pid, code, ident, text in dropped[:20]:
        run.warn(f"{code} 的问题 #{ident}“{text}”本表已不再列出，账本中仍未解决"
                 f"（已解决请用 zs problems resolve {ident} --note …）")
    if len(dropped) > 20:
        run.warn(f"另有 {len(dropped) - 20} 个未解决问题本表已不再列出（zs problems list --open 查看）")
