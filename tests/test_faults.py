"""Faults under an import: the PostgreSQL connection cut by the server, a disk that fills up. The
ledger is as it was and the message says what happened."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from conftest import Zs, dump
from test_crash import big_ledger

ROWS = 6_000


def _zs(ledger: str, *args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "zhaoshang", "--db", ledger, *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "ZS_USER": "测试员", **(env or {})}, **kw)


@pytest.mark.postgresql_only
def test_a_connection_cut_mid_import_changes_nothing(district: Zs, ledger: str, tmp_path: Path) -> None:
    import psycopg

    before = dump(ledger, skip=("import_batch",))
    source = big_ledger(tmp_path / "大台账.csv", ROWS)
    name = f"zs-import-{uuid.uuid4().hex[:8]}"
    proc = _zs(ledger, "import", str(source), env={"PGAPPNAME": name})
    dsn = make_url(ledger).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as admin:
        deadline = time.monotonic() + 60
        while True:  # the import's transaction has written rows: cut it there
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            row = admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s "
                                "AND backend_xid IS NOT NULL", (name,)).fetchone()
            if row:
                break
            time.sleep(0.02)
        time.sleep(0.2)
        assert admin.execute("SELECT pg_terminate_backend(%s)", (row[0],)).fetchone() == (True,)
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode == 1, text
    assert "Traceback" not in text
    assert "与账本服务器的连接中断" in text and "没有写入" in text, text
    assert dump(ledger, skip=("import_batch",)) == before
    assert "变更记录完整" in district.ok("db", "verify").err


def _limit_file_size(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:  # in the child: a write past `limit` bytes fails (EFBIG) instead of killing it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.sqlite_only
def test_a_full_disk_mid_import_changes_nothing(district: Zs, ledger: str, tmp_path: Path) -> None:
    source = big_ledger(tmp_path / "大台账.csv", ROWS)
    district.ok("db", "check")  # checkpointed: the ledger is all in its file
    before = dump(ledger)
    limit = Path(ledger).stat().st_size + 64 * 1024
    proc = _zs(ledger, "import", str(source), preexec_fn=_limit_file_size(limit))
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == 1, text
    assert "Traceback" not in text
    assert "磁盘已满" in text and "没有写入，账本保持原样" in text, text
    assert dump(ledger) == before
    assert "变更记录完整" in district.ok("db", "verify").err
