"""The context every write carries: the session, who acts, from where, and what day it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class Ctx:
    session: Session
    actor: str
    source: str
    today: dt.date
    now: dt.datetime
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def bind(ctx: Ctx) -> None:
    """On PostgreSQL the database stamps and guards the audit: a change's time is the transaction's
    (an event at any other time is refused), and the context of the change (who, which command) goes
    to the triggers that write the event of a row zs did not record (db/audit_pg.py)."""
    import json

    from sqlalchemy import text

    conn = ctx.session.connection()
    if conn.dialect.name != "postgresql":
        return
    ctx.now = conn.execute(text("SELECT now(), set_config('zs.context', :c, true)"),
                           {"c": json.dumps({"actor": ctx.actor, "source": ctx.source}, ensure_ascii=False)}).first()[0]
