"""Stage words: the built-in mapping plus a district's own (zs stages map 已摘地 signed)."""

from __future__ import annotations

from sqlmodel import Session, select

from zhaoshang.errors import BadValue
from zhaoshang.models import StageWord
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.stages import ALL_STAGES, builtin_stage_words, parse_stage
from zhaoshang.vocabulary.text import normalize_text


def word_map(session: Session) -> dict[str, str]:
    return {w.word: w.stage for w in session.exec(select(StageWord)).all()}


def map_word(ctx: Ctx, word: str, stage: str) -> bool:
    """Add or change a district stage word. Returns whether anything changed."""
    text = normalize_text(word)
    if not text:
        raise BadValue("阶段词不能为空。")
    try:
        key = parse_stage(stage)
    except ValueError as exc:
        raise BadValue(str(exc)) from None
    if key not in ALL_STAGES:  # pragma: no cover - parse_stage returns only keys
        raise BadValue(f"阶段“{stage}”无效。")
    row = ctx.session.get(StageWord, text)
    if row is None:
        row = StageWord(word=text, stage=key)
        ctx.session.add(row)
        ctx.session.flush()
        audit.record(ctx, "stage_word", 0, text, None, key)
        return True
    if row.stage == key:
        return False
    audit.record(ctx, "stage_word", 0, text, row.stage, key)
    row.stage = key
    return True


def list_words(session: Session) -> list[dict]:
    district = word_map(session)
    rows = [{"word": w, "stage": s, "source": "district"} for w, s in sorted(district.items())]
    rows += [{"word": w, "stage": s, "source": "built-in"} for w, s in builtin_stage_words().items()
             if w not in district]
    order = {s: i for i, s in enumerate(ALL_STAGES)}
    rows.sort(key=lambda r: (order[r["stage"]], r["source"] != "district"))
    return rows

