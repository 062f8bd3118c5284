"""Match: the ledger's project each row names — the one home of "the same project" against the ledger.

A project row matches by code, else by name and investor (exactly, then after normalisation: see
vocabulary/identity.py), else by name alone where the row or the ledger leaves the investor blank;
several candidates are told apart by unit. A row without a code that still fits several projects
matches none: it is ambiguous, and the clerk must give the code. A ledger project is matched by one
row of a file at most. Rows of the 项目节点, 联审 and 问题协调 sheets name their project by code, else
by a name only one project has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from zhaoshang.db.imports import project_ids_by_code
from zhaoshang.importers.cells import CellError
from zhaoshang.importers.district import RowParser
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.importers.parse import ProjectRow
from zhaoshang.models import Project
from zhaoshang.services.imports.result import RejectedSheet, SheetResult
from zhaoshang.vocabulary.identity import name_investor_key, same_project
from zhaoshang.vocabulary.text import normalize_text

if TYPE_CHECKING:
    from zhaoshang.services.imports.run import Run

P = Project.__table__  # type: ignore[attr-defined]
Matched = list[tuple[ProjectRow, int]]


def same_projects(conn: Any, name: str, investor: str | None, unit_id: int | None) -> list[str]:
    """The codes of the ledger's projects that are the project (name, investor, unit) by the one rule
    (vocabulary/identity.same_project): what add-project refuses to enter twice."""
    rows = conn.execute(select(P.c.code, P.c.name, P.c.investor, P.c.unit_id).order_by(P.c.id))
    return [code for code, other, other_investor, other_unit in rows
            if same_project(name, investor, unit_id, other, other_investor, other_unit)]


class Matcher:
    def __init__(self, run: Run) -> None:
        self.run = run
        self.conn = run.conn
        self.claimed: set[int] = set()  # ledger projects a row of this file has matched
        self._name_index: dict[tuple, list[int]] | None = None
        self._name_only: dict[str, list[tuple[int, str | None]]] = {}

    def match(self, batch: list[ProjectRow]) -> tuple[Matched, list[ProjectRow], list[tuple[ProjectRow, list[int]]]]:
        """(matched rows with their project, new rows, ambiguous rows with their candidates): one
        query each by code and by name per batch."""
        if self.run.fresh():
            return [], batch, []
        by_code = project_ids_by_code(self.conn, [r.code for r in batch if r.code])
        rest = [r for r in batch if not r.code or r.code not in by_code]
        by_name: dict[tuple[str, str | None], list[int]] = {}
        if rest:
            wanted = list({r.name for r in rest})
            for i in range(0, len(wanted), 5000):
                for pid, name, investor in self.conn.execute(
                        select(P.c.id, P.c.name, P.c.investor).where(P.c.name.in_(wanted[i:i + 5000]))):
                    by_name.setdefault((name, investor), []).append(pid)
        matched, new, ambiguous = [], [], []
        for r in batch:
            pid = by_code.get(r.code) if r.code else None
            if pid is None:
                candidates = by_name.get((r.name, r.values.get("investor"))) or \
                    self.name_index().get(name_investor_key(r.name, r.values.get("investor"))) or \
                    self.blank_investor_match(r)
                free = [p for p in candidates if p not in self.claimed]
                if free and not r.values.get("investor") and r.values.get("unit_id") is not None:
                    free = self.not_of_other_units(free, r.values["unit_id"])
                if len(free) > 1:  # same name, told apart by unit
                    free = self.of_unit(free, r.values.get("unit_id")) or free
                if len(free) == 1:
                    pid = free[0]
                    if r.code:
                        r.values["code"] = r.code
                elif len(free) > 1 and not r.code:
                    ambiguous.append((r, free))
                    continue
            if pid is None:
                new.append(r)
            else:
                self.claimed.add(pid)
                matched.append((r, pid))
        return matched, new, ambiguous

    def blank_investor_match(self, r: ProjectRow) -> list[int]:
        """The ledger's projects of the row's name where the row or the ledger leaves the investor
        blank (a clerk filling it in next week, or leaving it out): a match only if it is the one."""
        self.name_index()
        found = self._name_only.get(normalize_text(r.name), [])
        if r.values.get("investor"):
            found = [(pid, investor) for pid, investor in found if not investor]
        pids = [pid for pid, _ in found]
        if len(pids) > 1:  # told apart by their unit
            pids = self.of_unit(pids, r.values.get("unit_id"))
        return pids if len(pids) == 1 else []

    def of_unit(self, pids: list[int], unit_id: int | None) -> list[int]:
        """Those of the projects that belong to the unit (none when the row names no unit)."""
        if unit_id is None:
            return []
        return [p for p, u in self.conn.execute(select(P.c.id, P.c.unit_id).where(P.c.id.in_(pids))) if u == unit_id]

    def not_of_other_units(self, pids: list[int], unit_id: int) -> list[int]:
        """Without an investor, a project of another unit is another project (same_project): those of
        the projects in the unit or in none."""
        units = dict(self.conn.execute(select(P.c.id, P.c.unit_id).where(P.c.id.in_(pids))).all())
        return [p for p in pids if units.get(p) is None or units[p] == unit_id]

    def name_index(self) -> dict[tuple, list[int]]:
        """The ledger's projects by name and investor as a row without a code is matched (see
        name_investor_key); read once, when a row does not match any name exactly."""
        if self._name_index is None:
            self._name_index = {}
            for pid, name, investor in self.conn.execute(select(P.c.id, P.c.name, P.c.investor)):
                self._name_index.setdefault(name_investor_key(name, investor), []).append(pid)
                self._name_only.setdefault(normalize_text(name), []).append((pid, investor))
        return self._name_index

    def codes(self, pids: list[int]) -> list[str]:
        """The codes of projects, in order (to name the candidates of an ambiguous row)."""
        return list(self.conn.execute(select(P.c.code).where(P.c.id.in_(pids)).order_by(P.c.code)).scalars())

    # ----------------------------------------------------------------- rows that belong to a project

    def lookup(self, items: list[dict]) -> tuple[dict[str, int], dict[str, list[int]]]:
        """The projects rows name (by code, else by name): one query each for a batch."""
        codes = list({m["code"] for m in items if m["code"]})
        names = list({m["name"] for m in items if not m["code"] and m["name"]})
        by_code: dict[str, int] = {}
        for i in range(0, len(codes), 5000):
            by_code.update(dict(self.conn.execute(  # type: ignore[arg-type]
                select(P.c.code, P.c.id).where(P.c.code.in_(codes[i:i + 5000]))).all()))
        by_name: dict[str, list[int]] = {}
        for i in range(0, len(names), 5000):
            for pid, name in self.conn.execute(select(P.c.id, P.c.name).where(P.c.name.in_(names[i:i + 5000]))):
                by_name.setdefault(name, []).append(pid)
        return by_code, by_name

    def project_of(self, m: dict, by_code: dict[str, int], by_name: dict[str, list[int]], sheet: LocatedSheet,
                   rej: RejectedSheet, p: RowParser, row_no: int, row: list[Any], counts: SheetResult) -> int | None:
        """The project a row of a 项目节点, 联审 or 问题协调 sheet belongs to (by code, else a unique
        name); None after rejecting the row."""
        if m["code"]:
            pid = by_code.get(m["code"])
            if pid is None:
                self.run.reject(sheet, rej, row_no, row, [CellError(p.col("code"), m["code"],
                                                                    f"项目编号“{m['code']}”不存在")], counts)
            return pid
        found = by_name.get(m["name"], [])
        if len(found) != 1:
            why = "不存在" if not found else "有重名，请填项目编号"
            self.run.reject(sheet, rej, row_no, row,
                            [CellError(p.col("name"), m["name"], f"项目“{m['name']}”{why}")], counts)
            return None
        return found[0]

    def linked(self, sheet: LocatedSheet, rej: RejectedSheet, p: RowParser,
               batch: list[tuple[int, list[Any], dict]], counts: SheetResult) -> Iterator[tuple[int, dict, str]]:
        """Each row of a batch whose project is found, with that project and where the row stands."""
        by_code, by_name = self.lookup([m for _, _, m in batch])
        for row_no, row, m in batch:
            pid = self.project_of(m, by_code, by_name, sheet, rej, p, row_no, row, counts)
            if pid is not None:
                yield pid, m, self.run.where(sheet.info.name, row_no)
