"""Ledger settings (账本设置): the district's name, the bulletin's closing paragraph, the review gate, the
weekly returns' deadline … as text key/value pairs, each change audited. `zs export` carries them and
`zs import` reads them back, except the ledger's own id, which never travels (a return template names
the ledger it came from)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from zhaoshang.errors import BadValue
from zhaoshang.models import Setting
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.returns import DEFAULT_DEADLINE, Deadline, parse_deadline

# The settings a clerk sets with `zs settings`: key -> (Chinese name, what it is for).
KNOWN = {
    "district": ("区名", "named on every report page and in the export"),
    "bulletin_closing": ("通报结尾（下步工作要求）", "the closing part of a Word bulletin"),
    "returns_deadline": ("报表截止时间", "when the units' weekly returns are due (default 周五 17:00, ZS_TZ)"),
}
LEDGER_ID = "ledger_id"  # set once when the ledger is made; an import never changes it
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


def ledger_id(session: Session) -> str:
    """The ledger's own id (made by the migration that brought returns)."""
    value = get_setting(session, LEDGER_ID)
    if value is None:  # pragma: no cover - every migrated ledger has one
        raise BadValue("账本没有编号（ledger_id）。", "运行 zs db upgrade。")
    return value


def returns_deadline(session: Session) -> Deadline:
    """When the units' weekly returns are due (returns_deadline), or the default 周五 17:00."""
    value = get_setting(session, "returns_deadline")
    try:
        return parse_deadline(value or DEFAULT_DEADLINE)
    except ValueError:
        return parse_deadline(DEFAULT_DEADLINE)


USD_RATE = "usd_rate_"  # usd_rate_2023 = "7.0": 元 per 美元 for that year's 亿元 bands


def parse_rate(value: str) -> Decimal:
    """A 美元 rate as typed ("7.0", "7.0827"): positive, at most four decimals."""
    try:
        rate = Decimal(value.strip())
    except InvalidOperation:
        raise BadValue(f"汇率“{value}”不是数字。", "例如 zs settings usd-rate 2023 7.0") from None
    if not rate.is_finite() or rate <= 0 or rate > 100 or rate != rate.quantize(Decimal("0.0001")):
        raise BadValue(f"汇率“{value}”无效：应为大于 0 的数，最多四位小数（元/美元）。")
    return rate


def usd_rate(session: Session, year: int) -> Decimal | None:
    """元 per 美元 the ledger counts a 外资-only project by in `year`'s 亿元 bands, or None (left out)."""
    value = get_setting(session, f"{USD_RATE}{year}")
    if value is None:
        return None
    try:
        return parse_rate(value)
    except BadValue:
        return None


def set_usd_rate(ctx: Ctx, year: int, value: str | None) -> bool:
    """Set (or with None, clear) a year's 美元 rate, audited."""
    if not 1949 <= year <= 2100:
        raise BadValue(f"年份“{year}”无效。")
    return set_setting(ctx, f"{USD_RATE}{year}", None if value is None else str(parse_rate(value)))
