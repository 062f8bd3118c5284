"""Writers in other processes, for the tests that need someone else writing at the same time."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# One writer: imports zs once, says "ready", waits for "go", then runs N rounds of a project update
# and a trip, in-process, each round its own command and transaction as at a shell. Prints the
# failures as JSON.
WRITER = textwrap.dedent("""
    import json, sys
    from typer.testing import CliRunner
    from zhaoshang.cli import app
    db, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    print("ready", flush=True)
    sys.stdin.readline()
    failures = []
    for i in range(rounds):
        for args in (["projects", "update", "P-001", "--progress", f"{name}-{i}", "--by", name],
                     ["trips", "add", "--unit", "区工信局", "--date", "2023-05-10", "--note", f"{name}-{i}",
                      "--by", name]):
            r = runner.invoke(app, ["--db", db, *args])
            if r.exit_code != 0 or r.stdout or (r.exception and not isinstance(r.exception, SystemExit)):
                failures.append([args[:2], r.exit_code, r.stderr, repr(r.exception)])
    print(json.dumps(failures), flush=True)
""")


def start_writers(ledger: str, names: tuple[str, ...], rounds: int) -> list[subprocess.Popen]:
    """Start one writer per name on a ledger of the `district` fixture; they wait for go()."""
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, ledger, name, str(rounds)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for name in names]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()
    return procs


def go(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()


def finish(procs: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    """Wait for the writers: (exit code, stdout, stderr) each."""
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append((proc.returncode, out, err))
    return results
