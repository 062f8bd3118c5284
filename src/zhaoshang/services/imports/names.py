"""Units and chains by the names rows give: exact first, then the normalised name (with a warning),
else created (kind other, next order) or, with --no-create, refused (DESIGN §10). Every answer is
cached for the import, refusals included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import select

from zhaoshang.db.imports import drop_if_unused
from zhaoshang.models import Chain, Unit
from zhaoshang.vocabulary.labels import SHEET_KIND_ZH
from zhaoshang.vocabulary.text import name_key

if TYPE_CHECKING:
    from zhaoshang.services.imports.run import Run


class Names:
    """The ledger's units and chains by name, as this import resolves and creates them."""

    def __init__(self, run: Run) -> None:
        self.run = run
        session = run.ctx.session
        self.ids: dict[str, dict[str, int]] = {
            "unit": dict(session.exec(select(Unit.name, Unit.id)).all()),
            "chain": dict(session.exec(select(Chain.name, Chain.id)).all()),
        }
        self.keys: dict[str, dict[str, list[str]]] = {"unit": {}, "chain": {}}
        for kind, names in self.ids.items():
            for name in names:
                self.keys[kind].setdefault(name_key(name), []).append(name)
        self.cache: dict[tuple[str, str], int | str] = {}
        self.implicit: list[tuple[str, str]] = []  # units and chains rows named into being

    def prune(self) -> None:
        """Units and chains created for rows that were then rejected (a misspelt 税郭真 beside a bad
        amount): nothing refers to them, so they go, with their insert events — a rejected row
        leaves nothing behind."""
        for what, name in self.implicit:
            if drop_if_unused(self.run.conn, what, self.ids[what][name]):
                listed = self.run.result.new_units if what == "unit" else self.run.result.new_chains
                listed.remove(name)

    def find(self, kind: str, text: str) -> str | None:
        """The existing name `text` means, or None."""
        if text in self.ids[kind]:
            return text
        key = name_key(text)
        close = self.keys[kind].get(key, []) if key else []  # 区 alone is no name to match loosely
        if len(close) == 1:
            return close[0]
        if len(close) > 1:
            raise ValueError(f"{SHEET_KIND_ZH[kind]}“{text}”可能是{'、'.join(close)}，请写全称")
        return None

    def known(self, text: str) -> bool:
        """Does `text` name a unit or chain of the ledger (exactly or after normalisation)?"""
        for kind in ("unit", "chain"):
            try:
                if text in self.ids[kind] or self.find(kind, text) is not None:
                    return True
            except ValueError:
                continue
        return False

    def __call__(self, kind: str, text: str) -> int:
        hit = self.cache.get((kind, text))
        if isinstance(hit, int):
            return hit
        if isinstance(hit, str):
            raise ValueError(hit)
        try:
            name = self.find(kind, text)
        except ValueError as exc:
            self.cache[(kind, text)] = str(exc)
            raise
        if name is None:
            if not self.run.options.create:
                reason = f"{SHEET_KIND_ZH[kind]}“{text}”不存在（--no-create）"
                self.cache[(kind, text)] = reason
                raise ValueError(reason)
            ident = self.create(kind, text)
        else:
            ident = self.ids[kind][name]
            if name != text:
                self.run.warn(f"{SHEET_KIND_ZH[kind]}“{text}”按“{name}”处理")
        self.cache[(kind, text)] = ident
        return ident

    def create(self, what: str, name: str, *, implicit: bool = True, **values: Any) -> int:
        """Add a unit or chain; an implicit one (named by a project, trip or target row) is listed
        as new in the summary."""
        from zhaoshang.services.directory import add_chain, add_unit

        ctx = self.run.ctx
        saved, ctx.source = ctx.source, self.run.source
        try:
            if what == "unit":
                row: Unit | Chain = add_unit(ctx, name, values.get("kind") or "other", values.get("leader"),
                                             values.get("order"), values.get("class"))
                if implicit:
                    self.run.result.new_units.append(name)
                    self.implicit.append(("unit", name))
            else:
                row = add_chain(ctx, name, values.get("chief"), values.get("anchor_firm"), None, values.get("order"))
                if values.get("lead_unit_id") is not None:
                    row.lead_unit_id = values["lead_unit_id"]
                if implicit:
                    self.run.result.new_chains.append(name)
                    self.implicit.append(("chain", name))
        finally:
            ctx.source = saved
        assert row.id is not None
        self.ids[what][name] = row.id
        self.keys[what].setdefault(name_key(name), []).append(name)
        return row.id
