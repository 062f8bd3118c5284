"""The district's other sheets, a row at a time: units (责任单位), chains (产业链), trips (外出招商),
campaign targets (会战目标), review criteria (联审标准), stage words (阶段词) and ledger settings (账本设置).
Each row's change goes through the services that own it, audited as the row's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlmodel import select

from zhaoshang.errors import BadValue
from zhaoshang.importers import district as dparse
from zhaoshang.importers.cells import CellError
from zhaoshang.importers.classify import DATA, classify
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.models import Campaign, Chain, Setting, StageWord, Target, Trip, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.imports.result import RejectedSheet, SheetResult
from zhaoshang.services.imports.run import Run
from zhaoshang.vocabulary.labels import METRIC_ZH
from zhaoshang.vocabulary.text import normalize_text


def district_sheet(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet) -> None:
    kind = sheet.header.kind
    p = dparse.RowParser(sheet.header, sheet.banner, run.options.year)
    f = sheet.header.fields
    parse = {
        "unit": dparse.parse_unit, "chain": dparse.parse_chain, "trip": dparse.parse_trip,
        "target": dparse.parse_target, "criterion": dparse.parse_criterion,
        "stage_word": lambda p, row: dparse.parse_pair(p, row, "word", "stage"),
        "setting": lambda p, row: dparse.parse_pair(p, row, "key", "value"),
    }[kind]
    apply = APPLY[kind]
    key_col = f.get("name") if kind in ("unit", "chain") else None
    for row_no, row in sheet.rows():
        k, _ = classify(row, key_col=None, name_col=key_col, header_labels=sheet.header.cells)
        if k != DATA:
            continue
        run.tick()
        counts.rows += 1
        run.at_row(sheet, row_no)
        parsed, errors = parse(p, row)
        if parsed is not None:
            try:
                outcome = apply(run, parsed, p)
            except CellError as exc:
                parsed, errors = None, [exc]
            except ValueError as exc:
                parsed, errors = None, [CellError(0, "", str(exc))]
            else:
                setattr(counts, outcome, getattr(counts, outcome) + 1)
        if parsed is None:
            run.reject(sheet, rej, row_no, row, errors, counts)
    run.ctx.session.flush()


def _ctx(run: Run) -> Ctx:
    """The context, its source the row at hand (for the audit events the row's change writes)."""
    run.ctx.source = run.source
    return run.ctx


def _changes(run: Run, entity: str, obj: Any, values: dict[str, Any]) -> str:
    changed = audit.apply_changes(_ctx(run), entity, obj, values)
    return "updated" if changed else "unchanged"


def apply_unit(run: Run, row: dict, p: dparse.RowParser) -> str:
    from zhaoshang.services.directory import parse_unit_kind

    values: dict[str, Any] = {}
    if "kind" in row:
        try:
            values["kind"] = parse_unit_kind(row["kind"]) if row["kind"] else "other"
        except BadValue as exc:
            raise CellError(p.col("kind"), row["kind"], exc.message) from None
    for key, attr in (("leader", "leader"), ("class", "unit_class"), ("order", "sort_order")):
        if key in row:
            values[attr] = row[key]
    names = run.names
    name = names.find("unit", row["name"])
    if name is None:
        names.create("unit", row["name"], implicit=False, kind=values.get("kind"), leader=values.get("leader"),
                     order=values.get("sort_order"), **{"class": values.get("unit_class")})
        return "inserted"
    if name != row["name"]:
        run.warn(f"{run.source}：责任单位“{row['name']}”按“{name}”处理")
    unit = run.ctx.session.get(Unit, names.ids["unit"][name])
    return _changes(run, "unit", unit, values)


def apply_chain(run: Run, row: dict, p: dparse.RowParser) -> str:
    names = run.names
    values: dict[str, Any] = {k: row[k] for k in ("chief", "anchor_firm") if k in row}
    if "order" in row:
        values["sort_order"] = row["order"]
    if "lead_unit" in row:
        try:
            values["lead_unit_id"] = names("unit", row["lead_unit"]) if row["lead_unit"] else None
        except ValueError as exc:
            raise CellError(p.col("lead_unit"), row["lead_unit"], str(exc)) from None
    name = names.find("chain", row["name"])
    if name is None:
        names.create("chain", row["name"], implicit=False, order=values.get("sort_order"),
                     chief=values.get("chief"), anchor_firm=values.get("anchor_firm"),
                     lead_unit_id=values.get("lead_unit_id"))
        return "inserted"
    if name != row["name"]:
        run.warn(f"{run.source}：产业链“{row['name']}”按“{name}”处理")
    chain = run.ctx.session.get(Chain, names.ids["chain"][name])
    return _changes(run, "chain", chain, values)


def apply_trip(run: Run, row: dict, p: dparse.RowParser) -> str:
    """A trip is the same trip when unit, date, leader and destination agree."""
    try:
        unit_id = run.names("unit", row["unit"])
    except ValueError as exc:
        raise CellError(p.col("unit"), row["unit"], str(exc)) from None
    if run.trips is None:
        run.trips = {}
        for t in run.ctx.session.exec(select(Trip).order_by(Trip.id)).all():
            run.trips.setdefault((t.unit_id, t.date, t.leader, t.destination), []).append(t)
    key = (unit_id, row["date"], row["leader"], row["destination"])
    values = {"is_main_leader": row["main"], "region": row["region"], "visits": row["visits"],
              "negotiations": row["negotiations"], "note": row["note"]}
    existing = run.trips.get(key, [])
    if existing:
        trip = existing.pop(0)
        return _changes(run, "trip", trip, values)
    trip = Trip(unit_id=unit_id, date=row["date"], leader=row["leader"], destination=row["destination"], **values)
    run.ctx.session.add(trip)
    run.ctx.session.flush()
    audit.record_insert(_ctx(run), "trip", trip)
    return "inserted"


def apply_target(run: Run, row: dict, p: dparse.RowParser) -> str:
    from zhaoshang.services.campaigns import parse_metric

    only = run.options.campaign  # zs campaign targets NAME: every row is that campaign's
    if only is not None and row["campaign"] and row["campaign"] != only:
        raise CellError(p.col("campaign"), row["campaign"], f"这一行是“{row['campaign']}”的目标，本次只设定“{only}”的")
    row["campaign"] = row["campaign"] or only
    if not row["campaign"]:
        raise CellError(p.col("campaign"), "", "缺少会战名称")
    start, end = row["start"], row["end"]
    if end is None and start is not None and row.get("days"):
        end = start + dt.timedelta(days=row["days"] - 1)
    campaign = run.ctx.session.exec(select(Campaign).where(Campaign.name == row["campaign"])).first()
    outcome = "unchanged"
    if campaign is None:
        if start is None or end is None:
            raise CellError(p.col("start"), "", f"会战“{row['campaign']}”需要开始和结束日期")
        if end < start:
            raise CellError(p.col("end"), end.isoformat(), f"结束日期 {end} 早于开始日期 {start}")
        campaign = Campaign(name=row["campaign"], start_on=start, end_on=end)
        run.ctx.session.add(campaign)
        run.ctx.session.flush()
        audit.record_insert(_ctx(run), "campaign", campaign)
        outcome = "inserted"
    else:
        values = {k: v for k, v in (("start_on", start), ("end_on", end)) if v is not None}
        if _changes(run, "campaign", campaign, values) == "updated":
            outcome = "updated"
    if not row["unit"]:
        if row["targets"]:
            raise CellError(p.col("unit"), "", "缺少责任单位")
        return outcome
    try:
        unit_id = run.names("unit", row["unit"])
    except ValueError as exc:
        raise CellError(p.col("unit"), row["unit"], str(exc)) from None
    for col_, word, value in row["targets"]:
        try:
            metric = word if word in METRIC_ZH else parse_metric(word)
        except BadValue as exc:
            raise CellError(col_, word, exc.message) from None
        target = run.ctx.session.exec(select(Target).where(
            Target.campaign_id == campaign.id, Target.unit_id == unit_id, Target.metric == metric)).first()
        if target is None:
            target = Target(campaign_id=campaign.id, unit_id=unit_id, metric=metric, value=value)  # type: ignore[arg-type]
            run.ctx.session.add(target)
            run.ctx.session.flush()
            audit.record_insert(_ctx(run), "target", target)
            outcome = "inserted" if outcome != "updated" else outcome
        elif _changes(run, "target", target, {"value": value}) == "updated" and outcome == "unchanged":
            outcome = "updated"
    return outcome


def apply_criterion(run: Run, row: dict, p: dparse.RowParser) -> str:
    from zhaoshang.services.criteria import record_criterion

    try:
        return record_criterion(_ctx(run), row["name"], row["order"], row["valid_from"],
                                row["valid_until"])
    except BadValue as exc:
        raise CellError(p.col("valid_until"), row["valid_until"], exc.message) from None


def apply_stage_word(run: Run, row: dict, p: dparse.RowParser) -> str:
    from zhaoshang.services.stages import map_word

    existed = run.ctx.session.get(StageWord, normalize_text(row["word"]))
    try:
        changed = map_word(_ctx(run), row["word"], row["stage"])
    except BadValue as exc:
        raise CellError(p.col("stage"), row["stage"], exc.message) from None
    return "unchanged" if not changed else ("updated" if existed else "inserted")


def apply_setting(run: Run, row: dict, p: dparse.RowParser) -> str:
    from zhaoshang.services.settings import LEDGER_ID

    key, value = row["key"], row["value"]
    if key == LEDGER_ID:  # a ledger's id is its own: another ledger's export never changes it
        return "unchanged"
    current = run.ctx.session.get(Setting, key)
    if current is None:
        run.ctx.session.add(Setting(key=key, value=value))
        audit.record(_ctx(run), "setting", 0, key, None, value)
        return "inserted"
    if current.value == value:
        return "unchanged"
    audit.record(_ctx(run), "setting", 0, key, current.value, value)
    current.value = value
    return "updated"


APPLY: dict[str, Callable[[Run, dict, dparse.RowParser], str]] = {
    "unit": apply_unit, "chain": apply_chain, "trip": apply_trip, "target": apply_target,
    "criterion": apply_criterion, "stage_word": apply_stage_word, "setting": apply_setting,
}
