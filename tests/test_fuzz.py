"""Seeded hostile files in the normal test run: mutations of a small ledger workbook and CSV (bit flips,
truncations, bytes inside zip members, extreme cell values and references, lying counts, encodings,
line endings, quoting, paths that are not files), imported in-process one after another. Each is
refused in one line with the ledger unchanged, or accepted with every line under each header
accounted for; none reaches the last-resort handler. `python benchmarks/fuzz.py --cases 2000` runs
the long version in subprocesses under a memory limit and a timeout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import Zs, dump

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import fuzz

CASES = 160


@pytest.mark.sqlite_only
def test_seeded_hostile_files_are_refused_in_one_line_or_accounted_for(zs: Zs, ledger: str, tmp_path: Path) -> None:
    failures = []
    kinds: dict[str, int] = {}
    for i, case in enumerate(fuzz.cases(19, CASES, sample=False)):
        if case.special in ("dev-zero", "dev-urandom") and i > 40:
            continue  # once is enough
        folder = tmp_path / f"c{i}"
        folder.mkdir()
        path = fuzz.materialise(case, folder)
        before = dump(ledger, skip=("import_batch",))
        run = zs("import", str(path), "--format", "json")
        why = fuzz.verdict(run.code, run.out, run.err)
        if why is None and not run.out.strip() and dump(ledger, skip=("import_batch",)) != before:
            why = "a refusal changed the ledger"
        if why is not None:
            failures.append(f"#{i} {case.kind}: {why}: {run.err.strip()[-300:]}")
        kinds[case.kind] = kinds.get(case.kind, 0) + 1
    assert not failures, "\n".join(failures)
    assert len(kinds) >= 10, kinds  # the mutations reach every kind
