"""Text as clerks type it: width, white space, and the normal form unit and chain names match by."""

from __future__ import annotations

import re
import unicodedata


def normalize_text(value: str) -> str:
    """Full-width to half-width (NFKC), line breaks and runs of spaces removed, ends stripped."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"\s+", "", text)


def clean_cell(value: object) -> str:
    """A cell as text with NFKC and outer white space removed (inner single spaces kept)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


_NAME_PREFIX = re.compile(r"^(区|市|县)")
_NAME_SUFFIX = re.compile(r"(产业链|产业|链)$")


def name_key(value: str) -> str:
    """Normalised form for matching unit and chain names: width, spaces, 区/市/县 prefix, 产业链 suffix."""
    text = normalize_text(value)
    text = _NAME_PREFIX.sub("", text)
    stripped = _NAME_SUFFIX.sub("", text)
    return stripped or text


# The one rule for a project's code, name and investor, typed, imported or returned: no control
# characters (C0 except tab and line breaks, DEL, C1) and no bidi overrides, which hide or reorder
# what a reader sees, and a length a printed page can hold.
MAX_LENGTH = {"code": 64, "name": 200, "investor": 200}
LABEL = {"code": "项目编号", "name": "项目名称", "investor": "投资方"}
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def text_problem(text: str, field: str) -> str | None:
    """Why `text` cannot be a project's `field` (code, name, investor), or None when it can."""
    limit = MAX_LENGTH[field]
    if len(text) > limit:
        return f"{LABEL[field]}太长（{len(text):,} 字，最多 {limit} 字）"
    if m := HIDDEN.search(text):
        return f"{LABEL[field]}含有不可见的控制字符（U+{ord(m.group()):04X}）"
    return None


def shown(text: str, limit: int = 40) -> str:
    """A value as an error line quotes it: control characters made visible, long text cut."""
    text = HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"
