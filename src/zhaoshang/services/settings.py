"""Ledger settings (账本设置): the district's name, the bulletin's closing paragraph, the review gate …
as text key/value pairs, each change audited. `zs export` carries them and `zs import` reads them back."""

from __future__ import annotations

from sqlmodel import Session, select

from zhaoshang.errors import BadValue
from zhaoshang.models import Setting
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx

# The settings a clerk sets with `zs settings`: key -> (Chinese name, what it is for).
KNOWN = {
    "district": ("区名", "named on every report page and in the export"),
    "bulletin_closing": ("通报结尾（下步工作要求）", "the closing part of a Word bulletin"),
}
MAX_LENGTH = 20_000


def get_setting(session: Session, key: str) -> str | None:
    """A setting's text, or None when it is not set (or set to nothing)."""
    row = session.get(Setting, key)
    return row.value.strip() or None if row is not None else None


def all_settings(session: Session) -> list[dict]:
    return [{"key": s.key, "value": s.value} for s in session.exec(select(Setting).order_by(Setting.key)).all()]


def set_setting(ctx: Ctx, key: str, value: str | None) -> bool:
    """Set (or with None, clear) a setting, audited. Returns whether it changed."""
    if value is not None:
        value = value.replace("\r\n", "\n").strip()
        if len(value) > MAX_LENGTH:
            raise BadValue(f"设置“{key}”太长（{len(value)} 字，最多 {MAX_LENGTH} 字）。")
        if "\x00" in value:
            raise BadValue(f"设置“{key}”含有不可见的控制字符。")
    row = ctx.session.get(Setting, key)
    old = row.value if row is not None else None
    if (value or None) == (old or None):
        return False
    if value:
        if row is None:
            ctx.session.add(Setting(key=key, value=value))
        else:
            row.value = value
    elif row is not None:
        ctx.session.delete(row)
    audit.record(ctx, "setting", 0, key, old, value or None)
    return True
