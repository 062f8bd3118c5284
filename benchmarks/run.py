"""The speed and memory budgets B1–B9 (DESIGN §7), each against a baseline measured in the same run.

    python benchmarks/run.py [--size N] [--quick] [--repeat R] [--only B1,B2] [--explain]

One line per budget: the figure, its baseline, the ratio, the budget and the verdict — holds, FAILS,
or n/a where the command does not exist on this checkout. Whole commands run as fresh processes; a
figure is the median of --repeat runs after a warm-up, figure and baseline runs taking turns so that a
noisy machine slows both alike. Memory is the peak RSS of the measured process (os.wait4's rusage).
Data comes from generate.py and is cached in benchmarks/.data/ (ZS_BENCH_DATA moves it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402

PY = sys.executable
ZS = gen.zs_command()
BASELINE = [PY, str(HERE / "baselines.py")]
AS_OF = "2023-06-28"  # a Wednesday in the 100-day campaign; the generated ledgers' today is 2023-06-30
SMALL = 100  # projects in the small ledger (B2, and B6's baseline)


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    code: int
    out: str
    err: str
    cpu: float = 0.0  # user + system seconds of the process


def run_once(argv: list[str], prepare: Callable[[], object] | None = None) -> Sample:
    """Run one fresh process; wall time from spawn to exit, its CPU seconds and peak RSS from wait4."""
    if prepare is not None:
        prepare()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(seconds, usage.ru_maxrss / 1024, proc.returncode, cpu=usage.ru_utime + usage.ru_stime,
                      out=out.read().decode(errors="replace"), err=err.read().decode(errors="replace"))


@dataclass
class Measured:
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return statistics.median(s.peak_mib for s in self.samples)

    @property
    def inner_seconds(self) -> float:
        """The median of the seconds a process printed as its last line (work timed inside it)."""
        return statistics.median(float(s.out.strip().splitlines()[-1]) for s in self.samples)

    def failure(self) -> str | None:
        for s in self.samples:
            if s.code != 0:
                lines = [line for line in s.err.strip().splitlines() if line.strip()]
                return f"exit {s.code}: {lines[-1] if lines else '(no message)'}"
        return None


@dataclass
class Job:
    argv: list[str]
    prepare: Callable[[], object] | None = None


def compare(figure: Job, baseline: Job, repeats: int, warmup: int,
            baseline_repeats: int | None = None) -> tuple[Measured, Measured]:
    """Warm-up runs, then figure and baseline runs taking turns (order alternating each round)."""
    fig, base = Measured(), Measured()
    base_repeats = repeats if baseline_repeats is None else baseline_repeats
    for _ in range(warmup):
        run_once(figure.argv, figure.prepare)
        if base_repeats == repeats:
            run_once(baseline.argv, baseline.prepare)
    for i in range(max(repeats, base_repeats)):
        pair = [(figure, fig, i < repeats), (baseline, base, i < base_repeats)]
        for job, into, wanted in (pair if i % 2 == 0 else pair[::-1]):
            if wanted:
                into.samples.append(run_once(job.argv, job.prepare))
    return fig, base


# --------------------------------------------------------------------------- lines


@dataclass
class Line:
    key: str
    what: str
    figure: str = "—"
    base_what: str = ""
    baseline: str = "—"
    ratio: str = "—"
    budget: str = ""
    verdict: str = "n/a"

    def show(self) -> str:
        return (f"{self.key:<4} {self.what:<37} {self.figure:>9}   {self.base_what:<36} {self.baseline:>9}"
                f"  {self.ratio:>6}  {self.budget:<13} {self.verdict}")


def secs(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def mib(value: float) -> str:
    return f"{value:.0f} MiB"


def at_most(line: Line, figure: float, baseline: float, limit: float, unit: Callable[[float], str] = secs) -> Line:
    """A budget of the form figure ≤ limit × baseline."""
    ratio = figure / baseline
    line.figure, line.baseline, line.ratio = unit(figure), unit(baseline), f"{ratio:.2f}×"
    line.budget = f"≤ {limit:g}×"
    line.verdict = "holds" if ratio <= limit else "FAILS"
    return line


def faster(line: Line, figure: float, baseline: float, limit: float) -> Line:
    """A budget of the form baseline ≥ limit × figure (the figure is `limit` times faster)."""
    ratio = baseline / figure
    line.figure, line.baseline, line.ratio = secs(figure), secs(baseline), f"{ratio:.1f}×"
    line.budget = f"≥ {limit:g}× faster"
    line.verdict = "holds" if ratio >= limit else "FAILS"
    return line


def absolute(line: Line, figure: float, limit: float, unit: Callable[[float], str] = secs) -> Line:
    """A budget of the form figure ≤ limit (in the figure's own unit)."""
    line.figure, line.budget = unit(figure), f"≤ {unit(limit)}"
    line.verdict = "holds" if figure <= limit else "FAILS"
    return line


def broken(line: Line, why: str) -> Line:
    line.verdict = f"ERROR ({why})"
    return line


def has_command(*words: str) -> bool:
    """Does this checkout have the command? (`zs WORDS --help` exits 0.)"""
    return subprocess.run([*ZS, *words, "--help"], capture_output=True, env=ENV).returncode == 0


def missing(line: Line, command: str) -> Line:
    line.verdict = f"n/a (no `{command}` on this checkout)"
    return line


# --------------------------------------------------------------------------- the budgets


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.size = args.size
        self.big = args.size * 10
        self.repeats = args.repeat
        self.warmup = args.warmup
        self.slow = args.slow_repeat  # runs of the minute-long measurements (B4's baseline, B8, B9)
        self.tmp = Path(tempfile.mkdtemp(prefix="zs-bench-"))
        self.lines: list[Line] = []

    def emit(self, line: Line) -> None:
        self.lines.append(line)
        print(line.show(), flush=True)

    def fresh(self, name: str) -> Callable[[], object]:
        """Before each import run: a new empty ledger (copying it is not timed)."""
        target = self.tmp / name
        return lambda: gen.copy_ledger(gen.empty_ledger(), target)

    def b1(self) -> None:
        fig, base = compare(Job([*ZS, "--help"]), Job([PY, "-c", "import typer"]), self.repeats, self.warmup)
        line = Line("B1", "zs --help", base_what='python -c "import typer"')
        self.emit(broken(line, why) if (why := fig.failure()) else at_most(line, fig.seconds, base.seconds, 1.5))

    def b2(self) -> None:
        small = gen.ledger_path(SMALL, self.args.seed)
        fig, base = compare(Job([*ZS, "--db", str(small), "projects", "list"]),
                            Job([PY, "-c", "import typer, sqlmodel"]), self.repeats, self.warmup)
        line = Line("B2", f"zs projects list ({SMALL} projects)", base_what='python -c "import typer, sqlmodel"')
        self.emit(broken(line, why) if (why := fig.failure()) else at_most(line, fig.seconds, base.seconds, 1.25))

    def import_budgets(self) -> None:
        rows = self.size
        b3 = Line("B3", f"zs import ({rows:,} rows)", base_what="python-calamine reads every cell")
        b3r = Line("B3r", f"zs import again ({rows:,}, 0 changes)", base_what="python-calamine reads every cell")
        b4 = Line("B4", f"zs import ({rows:,} rows)", base_what="pandas.read_excel(openpyxl) + to_sql")
        b5 = Line("B5", f"peak RSS of zs import ({rows:,} rows)", base_what="peak RSS of the calamine read")
        if not has_command("import"):
            for line in (b3, b3r, b4, b5):
                self.emit(missing(line, "zs import"))
            return
        book = gen.xlsx_path(rows, self.args.seed, self.args.inline_strings)
        target = self.tmp / "import.db"
        zs_import = Job([*ZS, "--db", str(target), "import", str(book)], self.fresh("import.db"))
        calamine = Job([*BASELINE, "calamine", str(book)])
        fig, base = compare(zs_import, calamine, self.repeats, self.warmup)
        if why := fig.failure():
            for line in (b3, b3r, b4, b5):
                self.emit(broken(line, why))
            return
        self.emit(at_most(b3, fig.seconds, base.seconds, 4))
        # The weekly case: the same file into the ledger it was imported into, nothing to change.
        imported = gen.copy_ledger(target, self.tmp / "imported.db")
        again = self.tmp / "again.db"
        reimport = Job([*ZS, "--db", str(again), "import", str(book)], lambda: gen.copy_ledger(imported, again))
        fig_r, base_r = compare(reimport, calamine, self.repeats, self.warmup)
        why = fig_r.failure() or next(("the file changed the ledger" for s in fig_r.samples
                                       if "新增 0，更新 0" not in s.out + s.err), None)
        self.emit(broken(b3r, why) if why else at_most(b3r, fig_r.seconds, base_r.seconds, 3))
        pandas_db = self.tmp / "pandas.db"
        slow = Measured([run_once([*BASELINE, "pandas-openpyxl", str(book), str(pandas_db)],
                                  lambda: pandas_db.unlink(missing_ok=True)) for _ in range(self.slow)])
        self.emit(broken(b4, why) if (why := slow.failure()) else faster(b4, fig.seconds, slow.seconds, 8))
        self.emit(at_most(b5, fig.peak_mib, base.peak_mib, 2.5, mib))

    def report_budgets(self) -> None:
        small = gen.ledger_path(SMALL, self.args.seed)
        commands = [("B6a", "report", ["report", "--week", "--as-of", AS_OF]),
                    ("B6b", "scorecard", ["scorecard", "--as-of", AS_OF])]
        large = None
        for key, command, argv in commands:
            line = Line(key, f"zs {' '.join(argv[:2]) if command == 'report' else command} "
                             f"({self.size:,} projects)", base_what=f"the same on {SMALL} projects")
            if not has_command(command):
                self.emit(missing(line, f"zs {command}"))
                continue
            large = large or gen.ledger_path(self.size, self.args.seed)
            fig, base = compare(Job([*ZS, "--db", str(large), *argv]), Job([*ZS, "--db", str(small), *argv]),
                                self.repeats, self.warmup)
            why = fig.failure() or base.failure()
            self.emit(broken(line, why) if why else at_most(line, fig.seconds, base.seconds, 1.5))
        line = Line("B7", f"weekly report's aggregation ({self.size:,})", base_what="the same sums in pandas groupby")
        if not has_command("report"):
            self.emit(missing(line, "zs report"))
            return
        large = large or gen.ledger_path(self.size, self.args.seed)
        fig, base = compare(Job([*BASELINE, "zs-week", str(large), AS_OF]),
                            Job([*BASELINE, "pandas-week", str(large), AS_OF]), self.repeats, self.warmup)
        why = fig.failure() or base.failure()
        self.emit(broken(line, why) if why else faster(line, fig.inner_seconds, base.inner_seconds, 5))

    def b8(self) -> None:
        # CPU seconds, not wall time: the export and its baseline run minutes apart on a shared machine
        # whose load comes and goes; the work each does is what is compared.
        line = Line("B8a", f"zs export ({self.size:,} projects), CPU", base_what="the same cells, openpyxl write-only")
        peak = Line("B8b", f"peak RSS of zs export ({self.size:,})", base_what="(an absolute budget)")
        if not has_command("export"):
            for each in (line, peak):
                self.emit(missing(each, "zs export"))
        else:
            large = gen.ledger_path(self.size, self.args.seed)
            out, again = self.tmp / "export.xlsx", self.tmp / "again.xlsx"
            # The export is whole commands; the baseline times only openpyxl writing the exported cells.
            fig, base = compare(Job([*ZS, "--db", str(large), "export", str(out)],
                                    lambda: out.unlink(missing_ok=True)),
                                Job([*BASELINE, "openpyxl-write", str(out), str(again)]), self.slow, 0)
            why = fig.failure() or base.failure()
            self.emit(broken(line, why) if why else faster(line, fig.cpu, base.inner_seconds, 5))
            self.emit(broken(peak, why) if why else absolute(peak, fig.peak_mib, 400, mib))
        self.report_workbooks()

    def report_workbooks(self) -> None:
        """B8c: every report workbook of the sample district within a second: each report as a whole
        command writing its workbook, against the same command printing JSON (the report's own
        work and the start-up); the figure is the workbook's part, the difference of the medians,
        in CPU seconds (as B8a) so that a busy machine does not decide it."""
        line = Line("B8c", "report workbook, its own CPU (sample)", base_what="the same report as JSON, CPU")
        if not has_command("report"):
            self.emit(missing(line, "zs report"))
            return
        sample = self.tmp / "sample.db"
        if not sample.exists():
            subprocess.run([*ZS, "--db", str(sample), "init", "--sample"], capture_output=True, env=ENV, check=True)
        out = self.tmp / "report.xlsx"
        slowest: tuple[float, float, str] | None = None
        for argv in (["report", "--week"], ["report", "--month"], ["report", "--quarter"], ["report", "--year"],
                     ["scorecard"]):
            command = [*ZS, "--db", str(sample), *argv, "--as-of", AS_OF]
            fig, base = compare(Job([*command, "--format", "xlsx", "--out", str(out)]),
                                Job([*command, "--format", "json"]), self.repeats, self.warmup)
            if why := fig.failure() or base.failure():
                self.emit(broken(line, why))
                return
            own = max(fig.cpu - base.cpu, 0.0)
            if slowest is None or own > slowest[0]:
                slowest = (own, base.cpu, " ".join(argv))
        assert slowest is not None
        line.what = f"workbook's own CPU: {slowest[2]}"
        absolute(line, slowest[0], 1.0)
        line.baseline = secs(slowest[1])
        self.emit(line)

    def b9(self) -> None:
        rows = self.big
        time_line = Line("B9a", f"zs import ({rows:,} rows), time", base_what="python-calamine reads every cell")
        peak_line = Line("B9b", f"zs import ({rows:,} rows), peak RSS", base_what="peak RSS of the calamine read")
        if not has_command("import"):
            for line in (time_line, peak_line):
                self.emit(missing(line, "zs import"))
            return
        book = gen.xlsx_path(rows, self.args.seed, self.args.inline_strings)
        target = self.tmp / "big.db"
        fig, base = compare(Job([*ZS, "--db", str(target), "import", str(book)], self.fresh("big.db")),
                            Job([*BASELINE, "calamine", str(book)]), self.slow, 0)
        if why := fig.failure():
            for line in (time_line, peak_line):
                self.emit(broken(line, why))
            return
        self.emit(at_most(time_line, fig.seconds, base.seconds, 4))
        self.emit(at_most(peak_line, fig.peak_mib, base.peak_mib, 1.5, mib))

    def explain(self) -> None:
        run = subprocess.run([*BASELINE, "explain-week", str(gen.ledger_path(self.size, self.args.seed)), AS_OF],
                             capture_output=True, text=True, env=ENV)
        print(run.stdout + run.stderr, end="")


BUDGETS = {"B1": "b1", "B2": "b2", "B3": "import_budgets", "B3R": "import_budgets", "B4": "import_budgets",
           "B5": "import_budgets", "B6": "report_budgets", "B7": "report_budgets", "B8": "b8", "B9": "b9"}

ENV = {**os.environ, "ZS_USER": "bench", "NO_COLOR": "1", "COLUMNS": "200"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed and memory budgets B1–B9 against same-run baselines.")
    parser.add_argument("--size", type=int, help="rows to import, projects to report on and export "
                        "(default 100000; B9 imports ten times as many)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one run each: checks the runner works")
    parser.add_argument("--repeat", type=int, help="timed runs per figure (default 5; --quick 1)")
    parser.add_argument("--warmup", type=int, help="untimed runs first (default 1; --quick 0)")
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help="runs of the minute-long measurements: B4's baseline, B8, B9 (default 1, no warm-up)")
    parser.add_argument("--inline-strings", action="store_true",
                        help="import workbooks with strings in their cells, as openpyxl writes them (default: "
                             "a shared-string table, as Excel and WPS write them)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated budgets, e.g. B1,B2")
    parser.add_argument("--explain", action="store_true", help="also print the weekly report's query plan")
    args = parser.parse_args(argv)
    args.size = args.size or (200 if args.quick else 100_000)
    args.repeat = args.repeat or (1 if args.quick else 5)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.quick else 1)
    wanted = {b.strip().upper() for b in args.only.split(",")} if args.only else set(BUDGETS)

    bench = Bench(args)
    head = (f"zs benchmarks {dt.datetime.now():%Y-%m-%d %H:%M} · Python {platform.python_version()} · "
            f"{os.cpu_count()} CPUs · size {args.size:,} (B9: {args.size * 10:,}) · seed {args.seed} · "
            f"medians of {args.repeat} run(s) after {args.warmup} warm-up(s); "
            f"B4's baseline, B8, B9: {args.slow_repeat} run(s)"
            + (" · workbooks with inline strings" if args.inline_strings else "")
            + (" · --quick: the figures check the runner, they prove nothing" if args.quick else ""))
    print(head)
    print(Line("", "measured", "", "baseline", "", "ratio", "budget", "verdict").show(), flush=True)
    done: set[str] = set()
    try:
        for key, method in BUDGETS.items():
            if key in wanted and method not in done:
                done.add(method)
                getattr(bench, method)()
        if args.explain:
            bench.explain()
    finally:
        shutil.rmtree(bench.tmp, ignore_errors=True)
    failing = [line.key for line in bench.lines if line.verdict in ("FAILS",) or line.verdict.startswith("ERROR")]
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
