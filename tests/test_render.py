"""Tables into a pipe or a file are laid out without Rich: the lines must be exactly Rich's."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from zhaoshang.render.plain import PlainTable

WORDS = ["中环", "晟达菲尔高端乳制品产业园", "P-001", "60.00", "", "区工信局", "a", "Ⅱ期", "ｆｕｌｌ", "x y", "-",
         "１２３", "é", "ｶﾀｶﾅ", "[bold]不是标记[/]", "1,234.50"]
HEADERS = ["编号", "项目名称", "总投资\n(亿元)", "a", "签约\n(个)", "Investment (100M CNY)"]


@st.composite
def tables(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(1, 6))
    cols = [(draw(st.sampled_from(HEADERS)), draw(st.booleans()), draw(st.sampled_from([None, 6, 8])))
            for _ in range(n)]
    rows = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n), max_size=6))
    footer = draw(st.none() | st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))
    title = draw(st.sampled_from([None, "标题", "项目列表"]))
    return cols, rows, footer, title


def rich_lines(cols, rows, footer, title) -> str:  # type: ignore[no-untyped-def]
    table = Table(title=title, box=box.SIMPLE if footer else box.SIMPLE_HEAD, header_style="bold",
                  title_style="bold", footer_style="bold", pad_edge=False, show_edge=False,
                  show_footer=footer is not None)
    for i, (head, right, min_width) in enumerate(cols):
        table.add_column(head, justify="right" if right else "left", no_wrap=min_width is None,
                         min_width=min_width, overflow="fold", footer=Text(footer[i]) if footer else "")
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    buf = io.StringIO()
    Console(file=buf, width=10_000, highlight=False, soft_wrap=False).print(table)
    return buf.getvalue()


@settings(max_examples=300, deadline=None)
@given(tables())
def test_plain_tables_are_richs_lines(case) -> None:  # type: ignore[no-untyped-def]
    cols, rows, footer, title = case
    plain = PlainTable([h for h, _, _ in cols], [r for _, r, _ in cols], rows, [m for _, _, m in cols], footer,
                       title).lines()
    if plain is not None:  # None only where Rich would wrap the title
        assert "\n".join(plain) + "\n" == rich_lines(cols, rows, footer, title)


def test_a_cell_with_a_line_break_goes_through_rich() -> None:
    assert PlainTable(["a"], [False], [["两\n行"]]).lines() is None
