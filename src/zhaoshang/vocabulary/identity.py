"""What makes two rows, or a row and a ledger project, the same project (DESIGN §10): the same code;
else the same name and investor once full/half width and white space are set aside ("产业园（一期）"
is "产业园 (一期)"); and, where no investor is given, the same unit (标准化厂房项目 of 税郭镇 is not that
of 孟庄镇). One rule for add-project, the import and returns alike: `same_project`."""

from __future__ import annotations

from zhaoshang.vocabulary.text import normalize_text


def name_investor_key(name: str, investor: str | None) -> tuple:
    """How a row without a code is matched: name and investor alike after normalisation."""
    return ("name", normalize_text(name), normalize_text(investor) if investor else None)


def project_key(code: str | None, name: str | None, investor: str | None, unit: str | None = None) -> tuple | None:
    """The key two rows of one file share when they name the same project: the code, else name and
    investor — and, when the investor is blank, the unit. None without a code or a name."""
    if code is not None:
        return ("code", code)
    if name is None:
        return None
    key = name_investor_key(name, investor)
    if investor is None and unit:
        key = (*key, normalize_text(unit))
    return key


def same_project(name: str, investor: str | None, unit: object, other_name: str, other_investor: str | None,
                 other_unit: object) -> bool:
    """Whether two projects (a row, a typed one, a ledger one) are one: the same normalised name and
    investor — or both without an investor and not in two different units (a unit left out matches)."""
    if name_investor_key(name, investor) != name_investor_key(other_name, other_investor):
        return False
    if investor:
        return True
    return unit is None or other_unit is None or unit == other_unit


def alike(text: str | None, other: str | None) -> bool:
    """Two spellings of one name or investor (顺和冷链（香港） and 顺和冷链(香港)): matching takes them for
    one, so a ledger row spelling it the other way changes nothing — the stored text stays as typed."""
    return text is not None and other is not None and normalize_text(text) == normalize_text(other)
