"""The README and docs/ say what the command line does: the reference is `--help` itself, every `zs …`
they show is a real command with options it takes, and the README's tour and weekly loop print what
they show when run on the sample ledger."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Zs
from zhaoshang.db.engine import dispose_all

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
import make_reference

ROOT = Path(__file__).resolve().parents[1]

PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "reference.md")]
CHECKED = "<!-- checked: runs on the sample ledger, in order -->"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d ")  # when a history line was written: the day the test runs


def test_the_reference_is_what_help_says() -> None:
    assert make_reference.TARGET.read_text(encoding="utf-8") == make_reference.render(), \
        "docs/reference.md is out of date: run python docs/make_reference.py"


def zs_lines(page: Path) -> Iterator[tuple[int, list[str]]]:
    """Every zs command a page shows: `$ zs …` in console blocks, `zs …` in sh and cron blocks
    (after environment assignments, `env -i …` or a path to the script), split at && and ;."""
    fence = None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            fence = None if fence else (line[3:] or "text")
            continue
        if fence not in ("console", "sh", "cron"):
            continue
        text = line[2:] if line.startswith("$ ") else (line if fence != "console" else "")
        if text.lstrip().startswith("#"):
            continue
        for part in re.split(r"&&|;", text.split(" #")[0]):
            words = shlex.split(part) if part.strip() else []
            while words and (re.match(r"^\w+=", words[0]) or words[0] in ("env", "-i") or words[0].isdigit()
                             or words[0] in ("*",) or re.match(r"^[\d,*-]+$", words[0])):
                words.pop(0)
            if words and (words[0] == "zs" or words[0].endswith("/zs")):
                yield number, ["zs", *words[1:]]


def test_every_zs_command_in_the_readme_and_the_guide_is_real() -> None:
    seen = 0
    for page in PAGES:
        for number, argv in zs_lines(page):
            seen += 1
            problem = make_reference.check_command_line(argv)
            assert problem is None, f"{page.name}:{number}: {' '.join(argv)}: {problem}"
    assert seen > 50


def checked_blocks(page: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line, argv, the output shown) of every command in the README's checked console blocks."""
    lines = page.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line != CHECKED:
            continue
        assert lines[i + 1] == "```console", f"{page.name}:{i + 2}: a checked block is a console block"
        j = i + 2
        while lines[j] != "```":
            assert lines[j].startswith("$ zs "), f"{page.name}:{j + 1}: a checked block starts with a command"
            start, argv = j + 1, shlex.split(lines[j][2:].split(" #")[0])
            j += 1
            shown = []
            while lines[j] != "```" and not lines[j].startswith("$ "):
                shown.append(lines[j])
                j += 1
            yield start, argv, shown


def follows(shown: list[str], printed: list[str]) -> bool:
    """The lines shown appear in what was printed, in order; … stands for lines left out."""
    at = 0
    for line in (STAMP.sub("", s.rstrip()) for s in shown if s.strip() != "…"):
        while at < len(printed) and STAMP.sub("", printed[at].rstrip()) != line:
            at += 1
        if at == len(printed):
            return False
        at += 1
    return True


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Zs, Path]]:
    here = tmp_path_factory.mktemp("readme")
    (here / "sample_data").symlink_to(ROOT / "sample_data")
    zs = Zs(str(here / "zhaoshang.db"))
    assert zs("init", "--sample", env={"ZS_USER": "王科长"}).code == 0
    yield zs, here
    dispose_all()


@pytest.mark.sqlite_only
def test_the_readmes_tour_and_weekly_loop_print_what_they_show(sample: tuple[Zs, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    zs, here = sample
    monkeypatch.chdir(here)
    monkeypatch.setenv("ZS_USER", "王科长")
    monkeypatch.delenv("ZS_DB", raising=False)
    ran = 0
    for number, argv, shown in checked_blocks(ROOT / "README.md"):
        run = zs(*argv[1:])
        assert run.code == 0, (number, run)
        printed = run.err.splitlines() + run.out.splitlines()
        assert follows(shown, printed) or follows(shown, run.out.splitlines() + run.err.splitlines()), \
            f"README.md:{number}: {' '.join(argv)} prints otherwise:\n{run.err}{run.out}"
        ran += 1
    assert ran >= 12
