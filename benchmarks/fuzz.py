"""Hostile files, seeded: mutations of the sample workbook and of a CSV ledger, imported one by one.

    python benchmarks/fuzz.py --cases 2000 [--seed 1] [--mem-mib 1024] [--timeout 60]

Each case is imported by `zs import --format json` in a subprocess of its own, into a fresh copy of a
ledger holding the sample district, under an address-space limit (--mem-mib) and a timeout. A case
holds when it is refused in one line with the ledger unchanged (apart from the failed-import record),
or accepted with every line under each header accounted for (inserted + updated + unchanged +
rejected + skipped). The run prints every case that did not hold — tracebacks, signals, hangs,
unaccounted lines, a refusal that changed the ledger — then the largest peak RSS and the slowest case.

The mutations (`cases`): bit flips and truncations of the file, bytes changed inside a zip member
(re-zipped with a valid CRC, so the XML parser sees them), cell values (extreme numbers and dates,
control characters, bidi overrides, long text), cell references past Excel's range, a shared-string
count that lies, CSV encodings, line endings and quoting, and paths that are not files. tests/test_fuzz.py
runs a few hundred of them in-process in the normal test run.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample_data" / "shizhong-2023.xlsx"

HEADER = ["项目编号", "项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段", "签约时间"]
ROWS = [[f"FZ-{i:03d}", f"测试项目{i}", f"测试公司{i}", f"{i % 7 + 1}.5", "高端装备产业链", "西王庄镇",
         ["在谈", "签约", "开工"][i % 3], f"2023-0{i % 9 + 1}-1{i % 9}"] for i in range(1, 41)]

NUMBERS = ["1E+308", "-1E+308", "-1e308", "1e400", "NaN", "nan", "INF", "-INF", "Infinity", "9" * 400, "-0",
           "0", "2958466", "2958465.99999", "-1", "1e-320", "4.9e-324", "99999999999999999999", "0x10", "1_000"]
TEXTS = ["\x00", "\x1b[31m", "\u202e反转", "\u2066隔离\u2069", "\x85", "\u2028", "\ufeff", "\ud7ff",
         "=cmd|' /C calc'!A0", "名" * 5000, "'", '"', "\t", "/", "待定", "2023-02-30", "0001-01-01", "9999-12-31",
         "1899-12-30", "-1e308"]
REFS = ["ZZZZZ5", "B99999999999999999999", "XFD1048576", "A1048577", "AMK2", "A0", "a2", "$A$2", "", "A-1",
        "AAAA1", "XFE1", "A999999", "J1048576"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-32", "latin-1", "shift_jis"]
BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\n\n"]


@dataclass
class Case:
    name: str  # the file's name as the clerk gave it
    kind: str  # the mutation, for the report
    data: bytes | None = None  # None: a special path (`special`)
    special: str | None = None  # fifo | dev-zero | dev-urandom | directory | missing | symlink-zero


# --------------------------------------------------------------------------- seeds


def small_workbook() -> bytes:
    """A one-sheet ledger written as Excel writes it: shared strings, a date style, a dimension."""
    strings: list[str] = []

    def sst(text: str) -> int:
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    rows = []
    for r, values in enumerate([HEADER, *ROWS], 1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{'ABCDEFGH'[c]}{r}"
            if r > 1 and c == 3:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif r > 1 and c == 7:
                y, m, d = (int(x) for x in value.split("-"))
                serial = (__import__("datetime").date(y, m, d) - __import__("datetime").date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{sst(value)}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H41"/><sheetData>' + "".join(rows)
             + "</sheetData></worksheet>")
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
              f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="重点项目" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="' + ns
        + '/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
        '</styleSheet>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    return zip_of({k: v.encode() for k, v in parts.items()})


def small_csv() -> str:
    return "\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\n"


def zip_of(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info.filename) for info in zf.infolist()}


# --------------------------------------------------------------------------- mutations


def _flip(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _sheet_edit(rng: random.Random, data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    parts = parts_of(data)
    sheets = [k for k in parts if k.startswith("xl/worksheets/") and k.endswith(".xml")]
    name = rng.choice(sheets)
    parts[name] = edit(rng, parts[name])
    return zip_of(parts)


def _cell_value(rng: random.Random, xml: bytes) -> bytes:
    cells = list(re.finditer(rb"<c r=\"[A-Z]+\d+\"[^>]*?(?:/>|>.*?</c>)", xml))
    if not cells:
        return xml
    m = rng.choice(cells)
    ref = re.search(rb'r="([A-Z]+\d+)"', m.group(0)).group(1)  # type: ignore[union-attr]
    if rng.random() < 0.5:
        number = rng.choice(NUMBERS)
        style = b' s="1"' if rng.random() < 0.5 else b""
        cell = b'<c r="' + ref + b'"' + style + b"><v>" + number.encode() + b"</v></c>"
    else:
        text = rng.choice(TEXTS)
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        escaped = "".join(ch if ch >= " " or ch in "\t\n\r" else f"_x{ord(ch):04X}_" for ch in escaped)
        body = escaped.encode("utf-8", "surrogatepass")
        cell = b'<c r="' + ref + b'" t="inlineStr"><is><t>' + body + b"</t></is></c>"
    return xml[: m.start()] + cell + xml[m.end():]


def _cell_ref(rng: random.Random, xml: bytes) -> bytes:
    refs = list(re.finditer(rb'<c r="([A-Z]+\d+)"', xml))
    if not refs:
        return xml
    m = rng.choice(refs)
    return xml[: m.start(1)] + rng.choice(REFS).encode() + xml[m.end(1):]


def _row_ref(rng: random.Random, xml: bytes) -> bytes:
    rows = list(re.finditer(rb'<row r="(\d+)"', xml))
    if not rows:
        return xml
    m = rng.choice(rows)
    return xml[: m.start(1)] + rng.choice([b"1048576", b"99999999999", b"0", b"2000000"]) + xml[m.end(1):]


def _member_bytes(rng: random.Random, data: bytes) -> bytes:
    parts = parts_of(data)
    name = rng.choice(sorted(parts))
    body = bytearray(parts[name])
    if body:
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(body))
            body[i] = rng.choice(b"<>&\"'/=\x00\xff0123456789AZ ")
    parts[name] = bytes(body)
    return zip_of(parts)


def _sst_lie(rng: random.Random, data: bytes) -> bytes:
    parts = parts_of(data)
    if "xl/sharedStrings.xml" not in parts:
        return data
    n = rng.choice([b"4000000000", b"99999999999999", b"-1", b"1"])
    parts["xl/sharedStrings.xml"] = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="' + n + b'"',
                                           parts["xl/sharedStrings.xml"], count=1)
    return zip_of(parts)


def _csv(rng: random.Random) -> tuple[str, bytes]:
    rows = [list(r) for r in [HEADER, *ROWS]]
    what = rng.choice(["encoding", "breaks", "quote", "value", "delimiter", "truncate", "nul", "long"])
    if what == "value":
        for _ in range(rng.randint(1, 3)):
            rows[rng.randrange(1, len(rows))][rng.randrange(len(HEADER))] = rng.choice(NUMBERS + TEXTS)
    elif what == "quote":
        r = rng.randrange(1, len(rows))
        rows[r][rng.randrange(len(HEADER))] = '"' + rows[r][0]
    elif what == "delimiter":
        sep = rng.choice([";", "\t", "|"])
        text = "\n".join(sep.join(r) for r in rows) + "\n"
        return what, text.encode("utf-8")
    brk = rng.choice(BREAKS) if what == "breaks" else "\n"
    text = brk.join(",".join(r) for r in rows) + brk
    if what == "long":
        text += "长" * rng.choice([10_000, 200_000, 1_200_000]) + ",x,1\n"
    encoding = rng.choice(ENCODINGS) if what == "encoding" else "utf-8"
    data = text.encode(encoding, errors="replace")
    if what == "truncate":
        data = data[: rng.randrange(1, len(data))]
    if what == "nul":
        i = rng.randrange(len(data))
        data = data[:i] + b"\x00" + data[i:]
    return what, data


SPECIALS = ["fifo", "dev-zero", "dev-urandom", "directory", "missing", "symlink-zero", "empty"]


def cases(seed: int, n: int, *, sample: bool = True) -> Iterator[Case]:
    """`n` mutated files, the same for the same seed. `sample=False` mutates only the small workbook
    (fast enough for the normal test run)."""
    rng = random.Random(seed)
    seeds = [("small", small_workbook())]
    if sample and SAMPLE.exists():
        seeds.append(("sample", SAMPLE.read_bytes()))
        seeds += legacy_seeds()
    for i in range(n):
        pick = rng.random()
        label, base = rng.choice(seeds)
        name = f"fuzz-{i:04d}.{label if label in ('xls', 'ods') else 'xlsx'}"
        if pick < 0.04:
            yield Case(f"fuzz-{i:04d}", "special", special=SPECIALS[i % len(SPECIALS)])
        elif pick < 0.30:
            what, data = _csv(rng)
            yield Case(f"fuzz-{i:04d}.csv", f"csv-{what}", data)
        elif pick < 0.42:
            yield Case(name, f"{label}-flip", _flip(rng, base, rng.randint(1, 8)))
        elif pick < 0.50:
            yield Case(name, f"{label}-truncate", base[: rng.randrange(1, len(base))])
        elif pick < 0.62:
            zipped = "ods" if label == "ods" else "small"  # the sample re-zipped would import whole: slow
            yield Case(name if label == "ods" else f"fuzz-{i:04d}.xlsx", f"{zipped}-member-bytes",
                       _member_bytes(rng, base if label == "ods" else seeds[0][1]))
        elif pick < 0.80:
            yield Case(name, "small-cell-value", _sheet_edit(rng, seeds[0][1], _cell_value))
        elif pick < 0.90:
            yield Case(name, "small-cell-ref", _sheet_edit(rng, seeds[0][1], _cell_ref))
        elif pick < 0.95:
            yield Case(name, "small-row-ref", _sheet_edit(rng, seeds[0][1], _row_ref))
        else:
            yield Case(name, "small-sst-count", _sst_lie(rng, seeds[0][1]))


def legacy_seeds() -> list[tuple[str, bytes]]:
    """The sample as .xls and .ods, converted once by LibreOffice when it is installed (cached)."""
    out = HERE / ".data"
    found = []
    for ext in ("xls", "ods"):
        target = out / f"{SAMPLE.stem}.{ext}"
        if not target.exists() and shutil.which("soffice"):
            out.mkdir(exist_ok=True)
            subprocess.run(["soffice", "--headless", "--convert-to", ext, "--outdir", str(out), str(SAMPLE)],
                           capture_output=True, timeout=300)
        if target.exists():
            found.append((ext, target.read_bytes()))
    return found


def materialise(case: Case, folder: Path) -> Path:
    """The case as a path a clerk would give."""
    path = folder / case.name
    if case.data is not None:
        path.write_bytes(case.data)
        return path
    kind = case.special
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        return Path("/dev/zero")
    elif kind == "dev-urandom":
        return Path("/dev/urandom")
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink-zero":
        path.symlink_to("/dev/zero")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


# --------------------------------------------------------------------------- checking a run


def verdict(code: int, out: str, err: str) -> str | None:
    """Why a finished import did not hold, or None. Refused: exit 1 with one line on stderr. Accepted:
    the JSON result's sheets each account for every line under their header."""
    if "Traceback" in err or "内部错误" in err:
        return "traceback"
    if code not in (0, 1):
        return f"exit {code}"
    if not out.strip():
        lines = [line for line in err.splitlines() if line.strip()]
        return None if code == 1 and len(lines) <= 2 else f"refusal in {len(lines)} lines"
    try:
        result = json.loads(out)
    except ValueError:
        return "output is not JSON"
    for s in result.get("sheets", []):
        done = s["inserted"] + s["updated"] + s["unchanged"] + s["rejected"]
        if s.get("skipped", -1) < 0 or done + s["skipped"] != s.get("lines") or s["lines"] < s["rows"]:
            return f"unaccounted lines in {s['sheet']}"
    return None


def _limit(mem_mib: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        limit = mem_mib << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_case(argv: list[str], env: dict, mem_mib: int, timeout: float) -> tuple[int, bytes, bytes, int, bool]:
    """Run one import: (exit code, negative for a signal; stdout; stderr; peak RSS in KiB; hung)."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=_limit(mem_mib))
    got: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda k=k, f=f: got.__setitem__(k, f.read()), daemon=True)
               for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    deadline = time.monotonic() + timeout
    hung = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            hung = True
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join(5)
    return proc.returncode, got.get("out", b""), got.get("err", b""), usage.ru_maxrss, hung


def run_forked(argv: list[str], env: dict, mem_mib: int, timeout: float,
               folder: Path) -> tuple[int, bytes, bytes, int, bool]:
    """run_case without the interpreter's start-up: a child forked from this process (which has
    imported zs already) runs the command line under the same limit and timeout."""
    out_path, err_path = folder / "stdout", folder / "stderr"
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 99
        try:
            for fd, target in ((1, out_path), (2, err_path)):
                handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(handle, fd)
                os.close(handle)
            os.environ.clear()
            os.environ.update(env)
            _limit(mem_mib)()
            from zhaoshang.cli import main as zs_main

            sys.argv = ["zs", *argv]
            zs_main()  # leaves with os._exit
        except BaseException:
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
        os._exit(code)
    deadline = time.monotonic() + timeout
    hung = False
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            got, status, usage = os.wait4(pid, 0)
            hung = True
            break
        time.sleep(0.005)
    return (os.waitstatus_to_exitcode(status), out_path.read_bytes(), err_path.read_bytes(), usage.ru_maxrss, hung)


def _preload() -> None:
    """What a zs import loads, loaded once before the children are forked."""
    import python_calamine  # noqa: F401
    import sqlalchemy  # noqa: F401

    import zhaoshang.cli
    import zhaoshang.cli.batches
    import zhaoshang.cli.io
    import zhaoshang.render.imports
    import zhaoshang.services.imports  # noqa: F401


def _zs() -> list[str]:
    script = Path(sys.executable).with_name("zs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zhaoshang"]


def _ledger(folder: Path) -> Path:
    path = folder / "sample.db"
    run = subprocess.run([*_zs(), "--db", str(path), "init", "--sample"], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"zs init --sample failed: {run.stderr.strip()}")
    return path


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if t not in ("import_batch",)]
        return [(t, *r) for t in sorted(tables) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY 1')]


_RUN: dict = {}  # what every case shares, set before the workers are forked


def one(item: tuple[int, Case]) -> tuple[int, Case, int, str, str, int, float, bool, bool]:
    """Import one case into a fresh copy of the ledger (in a worker process)."""
    i, case = item
    args, work, template, before, env = (_RUN[k] for k in ("args", "work", "template", "before", "env"))
    folder = work / f"c{i}"
    folder.mkdir()
    path = materialise(case, folder)
    db = folder / "ledger.db"
    shutil.copy(template, db)
    t0 = time.perf_counter()
    argv = ["--db", str(db), "import", str(path), "--format", "json"]
    if args.spawn:
        code, out_b, err_b, rss_kib, hung = run_case([*_zs(), *argv], env, args.mem_mib, args.timeout)
    else:
        code, out_b, err_b, rss_kib, hung = run_forked(argv, env, args.mem_mib, args.timeout, folder)
    seconds = time.perf_counter() - t0
    out, err = out_b.decode("utf-8", "replace"), err_b.decode("utf-8", "replace")
    changed = not hung and code == 1 and not out.strip() and _rows(db) != before
    shutil.rmtree(folder, ignore_errors=True)
    return i, case, code, out, err, rss_kib, seconds, hung, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mem-mib", type=int, default=2048, help="address-space limit of each import (RLIMIT_AS)")
    parser.add_argument("--rss-mib", type=int, default=1024, help="the peak RSS a case may reach")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--jobs", type=int, default=2, help="imports run at once")
    parser.add_argument("--spawn", action="store_true",
                        help="start each import as a new `zs` process (default: fork this one, which has loaded zs)")
    parser.add_argument("--keep", type=Path, help="copy every case that did not hold into this folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="zs-fuzz-"))
    if not args.spawn:
        _preload()
    template = _ledger(work)
    before = _rows(template)
    env = {**os.environ, "ZS_USER": "fuzz", "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("ZS_DEBUG", None)
    counts = {"traceback": 0, "signal": 0, "hang": 0, "unaccounted": 0, "changed": 0, "rss": 0, "other": 0}
    held = refused = accepted = 0
    peak = (0, "")
    slowest = (0.0, "")
    bad: list[str] = []
    started = time.perf_counter()
    done = 0
    _RUN.update(args=args, work=work, template=template, before=before, env=env)
    # workers forked before any thread exists, each forking its imports one at a time
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for i, case, code, out, err, rss_kib, seconds, hung, changed in pool.imap(
                one, enumerate(cases(args.seed, args.cases))):
            label = f"#{i} {case.kind} {case.name}"
            why = "hang" if hung else "signal" if code < 0 else \
                verdict(code, out, err) or ("changed" if changed else None)
            if why is None and rss_kib > args.rss_mib << 10:
                why = f"rss {rss_kib >> 10} MiB"
            if rss_kib > peak[0]:
                peak = (rss_kib, label)
            if seconds > slowest[0]:
                slowest = (seconds, label)
            if why is None:
                held += 1
                refused += not out.strip()
                accepted += bool(out.strip())
            else:
                key = why if why in counts else why.split(" ")[0] if why.split(" ")[0] in counts else "other"
                counts[key] += 1
                tail = (err.strip().splitlines() or [""])[-1][:200]
                bad.append(f"{label}: {why} (exit {code}) {tail}")
                if args.keep and case.data is not None:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / case.name).write_bytes(case.data)
            done += 1
            if done % 100 == 0:
                print(f"… {done} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    for line in bad:
        print(line)
    print(f"zs fuzz · seed {args.seed} · {args.cases} cases · RLIMIT_AS {args.mem_mib} MiB · "
          f"timeout {args.timeout:g} s · {time.perf_counter() - started:.0f} s")
    print(f"held {held} (refused {refused}, accepted {accepted}) · tracebacks {counts['traceback']} · "
          f"signals {counts['signal']} · hangs {counts['hang']} · unaccounted lines {counts['unaccounted']} · "
          f"refusals that changed the ledger {counts['changed']} · over {args.rss_mib} MiB RSS {counts['rss']} · "
          f"other {counts['other']}")
    print(f"largest peak RSS {peak[0] / 1024:.0f} MiB ({peak[1]}) · slowest case {slowest[0]:.2f} s ({slowest[1]})")
    return 0 if not bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
