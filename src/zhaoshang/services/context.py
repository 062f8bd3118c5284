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
