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
