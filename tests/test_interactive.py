"""At a terminal `zs add-project` asks for what is missing (and re-asks a value it cannot read)."""

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


def _read_until(fd: int, needle: str, seen: list[str], start: int = 0, timeout: float = 20.0) -> None:
    """Read the terminal until `needle` appears after position `start` of what was seen."""
    deadline = time.monotonic() + timeout
    while needle not in "".join(seen)[start:]:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {needle!r} in {''.join(seen)!r}")
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen.append(os.read(fd, 4096).decode("utf-8", "replace"))
            except OSError:
                break


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_add_project_prompts_at_a_terminal(zs: Zs) -> None:
    zs.ok("units", "add", "税郭镇")
    zs.ok("chains", "add", "新能源")
    controller, terminal = pty.openpty()
    env = {**os.environ, "ZS_USER": "王科长", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "zhaoshang", "--db", zs.db, "add-project", "光伏组件"],
                            stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True)
    os.close(terminal)
    seen: list[str] = []
    start = 0
    try:
        for prompt, answer in [("投资方", "阳光能源"), ("总投资", "约5亿"), ("总投资", "5亿"), ("产业链", "新能"),
                               ("产业链", "新能源"), ("责任单位", "税郭"), ("责任单位", "税郭镇"), ("阶段", "洽谈中"),
                               ("日期", "2023-06-10")]:
            _read_until(controller, prompt, seen, start)
            start = len("".join(seen))
            os.write(controller, (answer + "\n").encode())
        assert proc.wait(timeout=30) == 0
        _read_until(controller, "已添加项目", seen)
    finally:
        proc.kill()
        os.close(controller)
    assert "不确定" in "".join(seen)  # the hedged amount was refused and asked again
    # so were a chain and a unit that do not exist, with the closest names
    assert "产业链“新能”不存在。" in "".join(seen) and "责任单位“税郭”不存在。" in "".join(seen)
    (row,) = zs.json("projects", "list")
    assert (row["investor"], row["investment_wan"], row["chain"], row["unit"], row["stage"]) == (
        "阳光能源", 50000, "新能源", "税郭镇", "negotiating")
    assert zs.json("projects", "show", row["code"])["milestones"][0]["done_on"] == "2023-06-10"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_a_listing_fits_a_narrow_terminal_by_leaving_out_columns(zs: Zs) -> None:
    from rich.cells import cell_len

    zs.ok("units", "add", "税郭镇")
    zs.ok("chains", "add", "高端装备产业链")
    zs.ok("add-project", "中环智能制造产业园", "--investor", "中环智能制造（山东）有限公司", "--amount", "60亿",
          "--chain", "高端装备产业链", "--unit", "税郭镇", "--stage", "started", "--date", "2023-06-27", "--marshal")
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "LINES": "40", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "zhaoshang", "--db", zs.db, "projects", "list"],
                            stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True)
    os.close(terminal)
    seen: list[str] = []
    try:
        _read_until(controller, "2023-06-27", seen)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(controller)
    text = re.sub(r"\x1b\[[0-9;]*m", "", "".join(seen)).replace("\r", "")  # bold headers
    assert "（窗口较窄，未显示：产业链、投资方" in text
    table = [line for line in text.split("\n") if line.strip() and not line.startswith("（")]
    assert all(cell_len(line) <= 80 for line in table), table
    assert "60.00" in text and "税郭镇" in text and "开工" in text
