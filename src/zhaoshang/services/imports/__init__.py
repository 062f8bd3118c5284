"""`zs import`: a clerk's workbook or CSV into the ledger, in the caller's one transaction.

    import_file(ctx, path, options=None, progress=None) -> ImportResult

The import is a pipeline of stages, each a module of its own:

    read      importers/read.py       the file, checked (importers/guards.py), into sheets
    locate    importers/locate.py     the sheets to import, their kind, header (importers/header.py), banner
    classify  importers/classify.py   each row below a header: data, section, subtotal, footnote …
    parse     importers/parse.py      a project row's cells into typed fields or row errors
              importers/district.py   (the other sheets' rows)
    match     services/imports/match.py   the ledger's project a row names (units and chains: names.py)
    write     services/imports/write.py   bulk inserts and updates with their audit events (SQL in db/)
    result    services/imports/result.py  counts, warnings, every rejected cell; render/imports.py prints it

Sheets are imported in dependency order whatever their order in the workbook (units and chains before
projects, projects before their milestones, reviews and problems); projects.py, linked.py and
district.py take each kind's rows through the stages. Nothing here commits or prints: the caller's
unit of work commits (or rolls back for --dry-run/--strict) and renders the result.
"""

from __future__ import annotations

from pathlib import Path

from zhaoshang.db.imports import import_cache
from zhaoshang.errors import BadValue
from zhaoshang.importers.duplicates import prescan
from zhaoshang.importers.locate import LocatedSheet, locate
from zhaoshang.importers.read import open_book
from zhaoshang.models import ImportBatch
from zhaoshang.services.context import Ctx
from zhaoshang.services.imports import district, linked, projects
from zhaoshang.services.imports import funds as funds_step
from zhaoshang.services.imports.result import ImportOptions, ImportResult, Progress, RejectedSheet, SheetResult
from zhaoshang.services.imports.run import Run, sha256
from zhaoshang.services.imports.write import defer_indexes
from zhaoshang.vocabulary.labels import SHEET_KIND_ZH

ORDER = ("setting", "stage_word", "unit", "chain", "criterion", "project", "milestone", "review", "problem", "trip",
         "target", "funds")
UNREVIEWED_LISTED = 1000  # projects signed without a complete review that the summary names
SHEETS = {"project": projects.project_sheet, "milestone": linked.milestone_sheet, "review": linked.review_sheet,
          "problem": linked.problem_sheet, "funds": funds_step.funds_sheet}


def import_file(ctx: Ctx, path: str | Path, options: ImportOptions | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Import one workbook or CSV file inside the caller's transaction. Raises BadFile/BadValue for a
    file that cannot be imported at all; row errors are in the result (the caller decides whether
    --strict rolls back)."""
    path = Path(path)
    ctx.session.flush()
    run = Run(ctx, path, options or ImportOptions(), progress)
    saved_source = ctx.source
    with import_cache(run.conn), open_book(path) as book:
        sheets, warnings = locate(book, run.file, wanted=run.options.sheet, column_map=run.options.column_map)
        for warning in warnings:
            run.warn(warning)
        sheets = _only_kinds(run, sheets)
        run.total = sum(s.data.height for s in sheets)
        project_sheets = [s for s in sheets if s.kind == "project"]
        run.duplicates = prescan(project_sheets)
        deferred = defer_indexes(run, sum(s.data.height for s in project_sheets))
        for sheet in sorted(sheets, key=lambda s: (ORDER.index(s.kind), s.index)):
            _sheet(run, sheet)
            sheet.release()
            if deferred and sheet is project_sheets[-1]:  # before anything reads the projects back
                run.writes.flush()
                run.bulk.build_indexes(deferred)
                deferred = []
        run.writes.flush()
        if run.stated_problems:
            projects.dropped_problems(run)
        if run._names is not None and run.result.errors:
            ctx.session.flush()
            run.names.prune()
        ctx.source = saved_source
        return _finish(run)


def _only_kinds(run: Run, sheets: list[LocatedSheet]) -> list[LocatedSheet]:
    """The sheets of the kinds asked for (zs campaign targets reads only targets), the others named."""
    kinds = run.options.kinds
    if kinds is None:
        return sheets
    for s in sheets:
        if s.kind not in kinds:
            run.warn(f"{run.file}:{s.name} 不是{'、'.join(SHEET_KIND_ZH[k] for k in sorted(kinds))}表，已跳过")
    kept = [s for s in sheets if s.kind in kinds]
    if not kept:
        raise BadValue(f"{run.file} 中没有{'、'.join(SHEET_KIND_ZH[k] for k in sorted(kinds))}表。",
                       "用 zs campaign targets 会战 --template 目标.xlsx 写一张模板，填好后再读入。")
    return kept


def _sheet(run: Run, sheet: LocatedSheet) -> None:
    counts = SheetResult(sheet.name, sheet.kind)
    run.result.sheets.append(counts)
    rej = RejectedSheet(sheet.name, sheet.kind, sheet.header.labels, sheet.banner)
    SHEETS.get(sheet.kind, district.district_sheet)(run, sheet, counts, rej)
    # every line under the header is inserted, updated, unchanged, rejected or skipped: blank, a section,
    # a subtotal, a note, or a row a later row of the file names again
    done = counts.inserted + counts.updated + counts.unchanged + counts.rejected
    counts.lines = max(sheet.data.height - sheet.header.bottom - 1, counts.rows, done)
    counts.skipped = counts.lines - done
    if rej.rows:
        run.result.rejected_sheets.append(rej)


def _finish(run: Run) -> ImportResult:
    """The totals, the file's signed projects without a complete review, and the import_batch row."""
    from zhaoshang.services.pending import unreviewed

    ctx, r = run.ctx, run.result
    if run.signed:
        r.unreviewed, r.unreviewed_count = unreviewed(ctx.session, run.signed, ctx.today, UNREVIEWED_LISTED)
    for s in r.sheets:
        r.inserted += s.inserted
        r.updated += s.updated
        r.unchanged += s.unchanged
        r.rejected += s.rejected
        r.rows_read += s.rows
        r.skipped += s.skipped
    if run.progress is not None:
        run.progress(run.total, run.total)
    batch = ImportBatch(at=ctx.now, actor=ctx.actor, file_name=run.file, sha256=r.sha256,
                        sheet=",".join(s.sheet for s in r.sheets) or None, rows_read=r.rows_read,
                        inserted=r.inserted, updated=r.updated, unchanged=r.unchanged, rejected=r.rejected,
                        status="done")
    ctx.session.add(batch)
    ctx.session.flush()
    r.batch_id = batch.id
    return r


def record_failure(ctx: Ctx, path: str | Path, message: str, *, file_name: str | None = None,
                   result: ImportResult | None = None, digest: str | None = None) -> None:
    """A failed import leaves the ledger as it was, apart from this one import_batch row."""
    path = Path(path)
    digest = result.sha256 if result else digest if digest is not None else sha256(path)
    batch = ImportBatch(at=ctx.now, actor=ctx.actor, file_name=file_name or path.name,
                        sha256=digest, status="failed", message=message[:500])
    if result is not None:
        batch.rows_read, batch.rejected = result.rows_read, result.rejected
    ctx.session.add(batch)
