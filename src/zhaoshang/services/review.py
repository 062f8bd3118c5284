"""联审 (joint review): a criterion's verdict on a project, as a user adds it, as a project's review
shows, and as ledger rows bring them in bulk.

Each review row is one criterion's verdict on one project on a date; a later review of the same
criterion replaces the earlier one (a re-review after a fail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue
from zhaoshang.models import Review
from zhaoshang.services import audit, users
from zhaoshang.services.context import Ctx
from zhaoshang.services.criteria import criteria_in_force, criterion_named
from zhaoshang.services.projects import get_project
from zhaoshang.vocabulary.dates import iso
from zhaoshang.vocabulary.text import clean_cell
from zhaoshang.vocabulary.verdicts import verdict_of


def parse_verdict(value: str) -> str:
    verdict = verdict_of(value)
    if verdict is None:
        raise BadValue(f"--verdict “{value}”无效。", "可用：pass|conditional|fail（通过/有条件通过/不通过）。")
    return verdict


def add_review(ctx: Ctx, code: str, criterion: str, verdict: str, *, on: dt.date | None = None,
               reviewer: str | None = None, note: str | None = None) -> tuple[Review, bool]:
    """Record one criterion's verdict on a project, audited. The same verdict recorded twice on the
    same day (same reviewer and note) changes nothing. Returns the review and whether it is new."""

    project = get_project(ctx.session, code)
    on = on or ctx.today
    name = criterion_named(ctx.session, criterion, on)
    reviewer = clean_cell(reviewer) if reviewer else ctx.actor
    note = " ".join(note.split()) or None if note else None  # as typed: only runs of white space made one
    same = ctx.session.exec(
        select(Review).where(Review.project_id == project.id, Review.criterion == name,
                             Review.verdict == verdict, Review.reviewed_on == on,
                             Review.reviewer == reviewer, Review.note == note if note else col(Review.note).is_(None))
    ).first()
    if same is not None:
        return same, False
    review = Review(project_id=project.id, criterion=name, verdict=verdict,  # type: ignore[arg-type]
                    reviewer=reviewer, reviewed_on=on, note=note)
    ctx.session.add(review)
    ctx.session.flush()
    audit.record_insert(ctx, "review", review, project_id=project.id)
    return review, True


def _review_row(r: Review, in_force: bool = True) -> dict:
    return {"criterion": r.criterion, "verdict": r.verdict,
            "reviewed_on": iso(r.reviewed_on),
            "reviewer": r.reviewer, "note": r.note, "in_force": in_force}


def show_review(session: Session, code: str, as_of: dt.date) -> dict:
    """A project's review: each criterion in force with its latest verdict, and every review made."""

    project = get_project(session, code)
    reviews = session.exec(
        select(Review).where(Review.project_id == project.id)
        .order_by(col(Review.reviewed_on).asc().nulls_first(), Review.id)
    ).all()
    latest = {r.criterion: r for r in reviews if r.reviewed_on is None or r.reviewed_on <= as_of}
    criteria = criteria_in_force(session, as_of)
    rows = []
    for name in criteria:
        r = latest.get(name)
        rows.append(_review_row(r) if r else {"criterion": name, "verdict": None, "reviewed_on": None,
                                               "reviewer": None, "note": None, "in_force": True})
    rows += [_review_row(r, in_force=False) for name, r in latest.items() if name not in criteria]
    failed = [name for name in criteria if name in latest and latest[name].verdict == "fail"]
    missing = [name for name in criteria if name not in latest]
    return {"code": project.code, "name": project.name, "stage": project.stage, "as_of": as_of.isoformat(),
            "complete": not failed and not missing, "failed": failed, "missing": missing,
            "criteria": rows, "reviews": [_review_row(r, r.criterion in criteria) for r in reviews]}


@dataclass
class ReviewRow:
    """One ledger row's review: a verdict already parsed, a criterion already matched."""

    project_id: int
    criterion: str
    verdict: str
    reviewed_on: dt.date | None = None
    reviewer: str | None = None
    note: str | None = None
    source: str | None = None


_REVIEW_COLUMNS = ("id", "project_id", "criterion", "verdict", "reviewer", "reviewed_on", "note")


def record_reviews(ctx: Ctx, rows: list[ReviewRow], claimed: set[int], bulk: Any = None) -> list[str]:
    """Ledger rows' reviews in one pass. A row is the review of its project and criterion on its date:
    an identical review is left alone, another one of that day takes the row's verdict, reviewer and
    note (audited, field by field), else the row is a new review (a re-review on a later day is a new
    review, and the latest one counts). `claimed` holds the reviews earlier rows of the same import
    matched, so two rows never match one review. Returns each row's outcome (inserted, updated or
    unchanged). One query per 900 projects; inserts and audit events in bulk."""
    from sqlalchemy import select as core_select

    from zhaoshang.db.bulk import Bulk

    if not rows:
        return []
    ctx.session.flush()
    conn = ctx.session.connection()
    bulk = bulk or Bulk(conn)
    users.require_projects(ctx, {r.project_id for r in rows})  # bulk writes pass by the flush checks
    table = Review.__table__  # type: ignore[attr-defined]
    known: dict[tuple, list[dict]] = {}
    ids = sorted({r.project_id for r in rows})
    for start in range(0, len(ids), 900):
        for row in conn.execute(core_select(table).where(table.c.project_id.in_(ids[start:start + 900]))
                                .order_by(table.c.id)):
            known.setdefault((row.project_id, row.criterion, row.reviewed_on), []).append(dict(row._mapping))
    writes = audit.BulkWrite(ctx, bulk)
    outcomes: list[str] = []
    new: list[dict] = []
    for r in rows:
        source = r.source or ctx.source
        want = {"verdict": r.verdict, "reviewer": r.reviewer, "note": r.note}
        free = [x for x in known.get((r.project_id, r.criterion, r.reviewed_on), []) if x["id"] not in claimed]
        same = next((x for x in free if all(x[k] == v for k, v in want.items())), None) or \
            next((x for x in free if x["verdict"] == r.verdict), None) or next(iter(free), None)
        if same is None:
            record = {"project_id": r.project_id, "criterion": r.criterion, "reviewed_on": r.reviewed_on, **want}
            writes.insert("review", table, _REVIEW_COLUMNS, record, source)
            new.append(record)
            outcomes.append("inserted")
            continue
        claimed.add(same["id"])
        changes = {k: v for k, v in want.items() if same[k] != v}
        writes.change("review", table, same, changes, source)
        outcomes.append("updated" if changes else "unchanged")
    writes.write()
    claimed.update(record["id"] for record in new)
    return outcomes
