"""An import killed half-way (SIGKILL: no cleanup, no rollback by zs) leaves the ledger exactly as before."""

from __future__ import annotations

import csv
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Zs, dump

ROWS = 40_000
PROGRESS = re.compile(r"(\d+)/(\d+)")


def big_ledger(path: Path, rows: int) -> Path:
    """A generated ledger: many projects over the district's two units."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["项目编号", "项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段", "签约时间"])
        for i in range(rows):
            out.writerow([f"G-{i:06d}", f"生成项目{i}", f"投资方{i % 97}", f"{1 + i % 50}.5",
                          "区工信局" if i % 2 else "税郭镇", "已签约", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"])
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_an_import_killed_half_way_changes_nothing(district: Zs, ledger: str, tmp_path: Path) -> None:
    district.ok("import", str(big_ledger(tmp_path / "小.csv", 3)))  # the ledger has imported before
    before = dump(ledger)
    source = big_ledger(tmp_path / "大台账.csv", ROWS)
    # At a terminal the import draws its progress (rows read / rows): kill it a third of the way in,
    # while its one transaction holds the rows it has already written.
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "zhaoshang", "--db", ledger, "import", str(source)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal,
                            close_fds=True, start_new_session=True)
    os.close(terminal)
    seen = ""
    done = 0
    deadline = time.monotonic() + 120
    try:
        while done < ROWS // 3:
            assert proc.poll() is None, f"the import ended before it was killed: {seen[-500:]!r}"
            assert time.monotonic() < deadline, seen[-500:]
            ready, _, _ = select.select([controller], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(controller, 65536).decode("utf-8", "replace")
                except OSError:
                    break
                counts = [(int(n), int(m)) for n, m in PROGRESS.findall(seen)]
                done = max((n for n, m in counts if m >= ROWS), default=0)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        os.close(controller)
    assert proc.returncode == -signal.SIGKILL
    assert ROWS // 3 <= done < ROWS
    assert dump(ledger) == before
    assert len(district.json("projects", "list")) == 1 + 3
    district.ok("db", "check")
