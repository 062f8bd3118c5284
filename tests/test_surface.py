"""The command line's own surface: usage errors and help pages speak the product's bilingual voice,
and every help page ends with an example that runs as written."""

from __future__ import annotations

import functools
import shlex
import sys
from pathlib import Path

import pytest

from conftest import Zs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
import make_reference

help_page = functools.cache(make_reference.help_page)  # each page rendered once for the tests below


@pytest.fixture
def cli(tmp_path: Path) -> Zs:
    """zs on a ledger path that usage errors never reach."""
    return Zs(str(tmp_path / "none.db"))


def test_a_mistyped_command_is_one_bilingual_line_with_a_suggestion(cli: Zs) -> None:
    run = cli("projects", "lst")
    assert (run.code, run.out) == (2, "")
    assert run.err == ("错误：没有命令“lst”（no such command）。 是不是 list？ did you mean list? "
                       "用 zs projects -h 查看用法 see zs projects -h.\n")
    run = cli("reprot", "--week")
    assert run.code == 2
    assert run.err == ("错误：没有命令“reprot”（no such command）。 是不是 report？ did you mean report? "
                       "用 zs -h 查看用法 see zs -h.\n")


def test_usage_errors_name_the_option_or_argument_in_chinese_first(cli: Zs) -> None:
    run = cli("projects", "list", "--stagee", "签约")
    assert (run.code, run.err) == (2, "错误：没有选项 --stagee（no such option）。 是不是 --stage？ did you mean "
                                      "--stage? 用 zs projects list -h 查看用法 see zs projects list -h.\n")
    run = cli("projects", "show")
    assert (run.code, run.err) == (2, "错误：缺少参数 CODE（missing argument）。 例 example: zs projects show P-001 "
                                      "用 zs projects show -h 查看用法 see zs projects show -h.\n")
    run = cli("report", "--week", "--format", "xml")
    assert run.code == 2
    assert run.err.startswith("错误：--format / -f 的值无效（invalid value）：“xml”不在可选值中（not one of）："
                              "table、json、csv、md、xlsx、html、text、docx。")
    run = cli("trips", "add", "--unit", "税郭镇", "--date", "2023-05-10", "--visits", "四")
    assert run.code == 2
    assert run.err.split(" 用 ")[0] == "错误：--visits 的值无效（invalid value）：需要整数（an integer）。"
    run = cli("projects", "show", "P-1", "P-2")
    assert run.err.startswith("错误：多余的参数：P-2（unexpected extra argument）。")
    for run in (cli("lst"), cli("projects", "show"), cli("--lang", "fr", "units", "list")):
        assert "Error" not in run.err and "Usage" not in run.err and len(run.err.splitlines()) == 1, run


def test_help_is_bilingual_and_names_the_environment(cli: Zs) -> None:
    page = cli("-h").out
    assert "-h, --help    显示本帮助 show this help." in page
    assert "[env var: ZS_DB]" in page
    for path in make_reference.command_paths():
        assert "Show this message" not in help_page(path), path


def test_every_help_page_ends_with_its_example() -> None:
    for path in make_reference.command_paths():
        page = help_page(path).rstrip().splitlines()
        assert page[-1].startswith("  例 example: zs"), (path, page[-3:])


def test_every_example_is_a_command_with_options_it_takes() -> None:
    for path in make_reference.command_paths():
        line = help_page(path).rstrip().splitlines()[-1]
        for part in line.split("例 example:", 1)[1].split("&&"):
            if not part.split() or part.split()[0] != "zs":
                continue
            problem = make_reference.check_command_line(shlex.split(part))
            assert problem is None, (path, part, problem)
