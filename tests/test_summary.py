"""`zs summary` for cron: dated files, atomic, idempotent, silent, locked, never migrating."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Zs
from zhaoshang.config import database_url
from zhaoshang.db import migrate
from zhaoshang.db.engine import connect, dispose_all
from zhaoshang.render.summary import LOCK_NAME, file_name

ZS = str(Path(sys.executable).parent / "zs")
WEEK = ["2023-W26-周调度." + ext for ext in ("html", "json", "md", "txt", "xlsx")]


@pytest.fixture
def busy_week(district: Zs) -> Zs:
    """The district's week of 2023-06-26: a signing, a start, a main leaders' trip."""
    district.ok("units", "add", "区委区政府", "--kind", "leadership")
    district.ok("add-project", "万达广场", "--amount", "20亿", "--unit", "税郭镇", "--stage", "signed",
                "--date", "2023-06-26", "--code", "P-002")
    district.ok("projects", "advance", "P-001", "started", "--date", "2023-06-27")
    district.ok("trips", "add", "--unit", "区委区政府", "--main-leader", "--date", "2023-06-28", "--visits", "3")
    return district


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if not p.name.startswith(".")}


@pytest.mark.parametrize(("period", "day", "name"), [
    ("week", dt.date(2023, 6, 30), "2023-W26-周调度.md"),
    ("week", dt.date(2023, 1, 1), "2022-W52-周调度.md"),
    ("month", dt.date(2023, 6, 30), "2023-06-月通报.md"),
    ("quarter", dt.date(2023, 6, 30), "2023-Q2-季评价.md"),
    ("year", dt.date(2023, 6, 30), "2023-年认定.md"),
])
def test_file_names(period: str, day: dt.date, name: str) -> None:
    assert file_name(period, day, "md") == name
    assert file_name(period, day, "text").endswith(".txt")


def test_cron_environment_writes_utf8_files_equal_to_the_report(busy_week: Zs, ledger: str, tmp_path: Path) -> None:
    out = tmp_path / "周调度"
    run = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", ZS, "--db", ledger, "summary", "--period", "week",
                          "--out-dir", str(out), "--as-of", "2023-06-30"], capture_output=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, b"", b"")
    written = files(out)
    assert sorted(written) == WEEK
    report = busy_week.json("report", "--week", "--as-of", "2023-06-30")
    assert json.loads(written["2023-W26-周调度.json"].decode("utf-8")) == report
    assert report["totals"]["new_signed"] == 1 and report["totals"]["main_leader_trips"] == 1
    md = written["2023-W26-周调度.md"].decode("utf-8")
    assert md.startswith("# 周调度 2023年第26周") and "万达广场" in md
    assert "全区新签约项目1个" in written["2023-W26-周调度.txt"].decode("utf-8")
    assert "周调度" in written["2023-W26-周调度.html"].decode("utf-8")
    from openpyxl import load_workbook

    workbook = load_workbook(out / "2023-W26-周调度.xlsx")
    assert workbook.worksheets[0]["A1"].value.startswith("周调度")
    plain = tmp_path / "plain.txt"
    plain.write_text("")
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {plain.stat().st_mode & 0o777}

    # A rerun changes nothing: same bytes, files not even rewritten.
    times = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", ZS, "--db", ledger, "summary", "--period", "week",
                            "--out-dir", str(out), "--as-of", "2023-06-30", "-v"], capture_output=True)
    assert again.returncode == 0 and again.stdout == b""
    assert again.stderr.decode("utf-8").count("未变") == 5
    assert files(out) == written
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == times


def test_a_failed_run_leaves_the_previous_files(busy_week: Zs, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    busy_week.ok("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30")
    before = files(out)
    busy_week.ok("projects", "update", "P-002", "--name", "万达广场二期")

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("zhaoshang.render.xlsx.write_report", disk_full)
    run = busy_week("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30")
    assert run.code == 1 and run.err.count("\n") == 1 and "No space left on device" in run.err
    assert run.out == ""
    assert files(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [LOCK_NAME]


def test_new_content_replaces_the_files_of_the_same_period(busy_week: Zs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    busy_week.ok("summary", "--period", "month", "--out-dir", str(out), "--as-of", "2023-06-30", "--formats", "md")
    busy_week.ok("projects", "update", "P-002", "--name", "万达广场二期")
    run = busy_week.ok("summary", "--period", "month", "--out-dir", str(out), "--as-of", "2023-06-30",
                       "--formats", "md,json", "-v")
    assert run.out == "" and "已写入" in run.err
    assert sorted(files(out)) == ["2023-06-月通报.json", "2023-06-月通报.md"]
    assert "万达广场二期" in (out / "2023-06-月通报.md").read_text(encoding="utf-8")


def test_two_runs_never_interleave(busy_week: Zs, tmp_path: Path) -> None:
    import fcntl
    import os

    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = busy_week("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30",
                        env={"ZS_BUSY_TIMEOUT": "0.2"})
        assert run.code == 1 and run.err.count("\n") == 1 and "zs summary" in run.err
        assert files(out) == {}
    finally:
        os.close(fd)
    busy_week.ok("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30")
    assert len(files(out)) == 5


def test_never_upgrades_the_ledger(zs: Zs, ledger: str, tmp_path: Path) -> None:
    with connect(database_url(ledger), write=True) as conn:
        migrate.downgrade(conn, "0001")
    dispose_all()
    out = tmp_path / "out"
    run = zs("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30")
    assert run.code == 1 and run.err.count("\n") == 1 and "zs db upgrade" in run.err
    assert zs.ok("db", "current").out.startswith("0001")
    assert not out.exists() or files(out) == {}


@pytest.mark.parametrize("args", [["--formats", "md,pdf"], ["--as-of", "2023-06"], ["--period", "day"]])
def test_bad_options_are_one_line(zs: Zs, tmp_path: Path, args: list[str]) -> None:
    base = {"--period": "week", "--out-dir": str(tmp_path / "out")}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    run = zs("summary", *[x for pair in base.items() for x in pair])
    assert run.code in (1, 2) and "Traceback" not in run.err
    assert not (tmp_path / "out").exists() or files(tmp_path / "out") == {}


def test_a_missing_ledger_makes_no_directory(tmp_path: Path) -> None:
    from conftest import Zs

    out = tmp_path / "out"
    run = Zs(str(tmp_path / "nowhere.db"))("summary", "--period", "week", "--out-dir", str(out))
    assert run.code == 1 and "账本文件不存在" in run.err and run.err.count("\n") == 1
    assert not out.exists()


def test_a_target_that_is_not_a_file_fails_before_any_file_is_replaced(busy_week: Zs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    busy_week.ok("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    busy_week.ok("add-project", "新项目", "--stage", "signed", "--date", "2023-06-29")  # the numbers change
    json_file = out / "2023-W26-周调度.json"
    json_file.unlink()
    json_file.mkdir()
    del before[json_file.name]
    run = busy_week("summary", "--period", "week", "--out-dir", str(out), "--as-of", "2023-06-30")
    assert run.code == 1 and run.err.count("\n") == 1 and "同名的不是文件" in run.err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
