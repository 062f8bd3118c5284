"""The weekly report and the scorecard at a terminal of 80 and of 100 columns, as a clerk sees them:
no line wider than the window, every figure whole (as the same report's JSON has it)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from conftest import Zs
from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.figures import half_up, percent

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def at_terminal(zs: Zs, columns: int, *args: str) -> str:
    """Run zs in a pseudo-terminal `columns` wide and return what it showed (colours removed)."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "NO_COLOR": "1", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "zhaoshang", "--db", zs.db, *args], stdin=terminal,
                            stdout=terminal, stderr=subprocess.DEVNULL, env=env, close_fds=True)
    os.close(terminal)
    seen = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen.append(chunk)
            elif proc.poll() is not None:
                break
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(controller)
    return ANSI.sub("", b"".join(seen).decode("utf-8", "replace")).replace("\r\n", "\n")


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[+-]?\d[\d,]*(?:\.\d+)?%?", text))


def week_figures(data: dict) -> set[str]:
    rows = [*data["by_unit"], data["totals"]]
    out = set()
    for row in rows:
        out |= {format_yi(row["new_signed_wan"]), format_yi(row["new_started_wan"])}
        out |= {str(row[k]) for k in ("new_leads", "new_signed", "new_started", "new_planned")}
    return out


def scorecard_figures(data: dict) -> set[str]:
    out = set()
    for unit in data["units"]:
        if unit["score"] is not None:
            out |= {half_up(unit["score"], 2, 2), percent(unit["progress"])}
    return out


@pytest.mark.sqlite_only
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [80, 100])
def test_week_and_scorecard_fit_the_terminal(report_district: Zs, columns: int) -> None:
    from rich.cells import cell_len

    cases = [(("report", "--week", "--as-of", "2023-06-30"), week_figures),
             (("scorecard", "--as-of", "2023-07-23"), scorecard_figures)]
    for args, figures in cases:
        shown = at_terminal(report_district, columns, *args)
        lines = shown.split("\n")
        assert max(cell_len(line) for line in lines) <= columns, [line for line in lines if cell_len(line) > columns]
        expected = figures(report_district.json(*args))
        assert expected and expected <= tokens(shown), expected - tokens(shown)
        assert "合计" in shown or args[0] == "scorecard"
        assert not any(line.lstrip().startswith(("，", "。", "、")) for line in lines)
