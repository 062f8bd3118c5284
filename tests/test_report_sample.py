"""The sample district (zs init --sample) reproduces the seed figures of DESIGN §1.

Skipped while the sample data is not in this checkout. Golden files of the sample's reports live in
tests/golden/sample/; create or refresh them with
    ZS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_sample.py
and review the diff before committing.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Zs
from zhaoshang.db.engine import dispose_all

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "sample"
pytestmark = pytest.mark.skipif(
    not (ROOT / "sample_data").is_dir() or importlib.util.find_spec("zhaoshang.cli.io") is None,
    reason="the sample district (sample_data/, zs init --sample) is not in this checkout",
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zs]:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    zs = Zs(str(path))
    run = zs("init", "--sample")
    assert run.code == 0, run
    yield zs
    dispose_all()


def test_seed_figures(sample: Zs) -> None:
    card = sample.json("scorecard", "--as-of", "2023-07-23")
    t = card["totals"]
    assert (card["day"], card["days"]) == (100, 100)
    assert t["new_signed"] == 25 and t["new_started"] == 18
    assert t["new_leads"] == 229 and t["marshal_projects"] == 16
    half = sample.json("report", "--year", "--as-of", "2023-06-30")["ytd"]
    assert (half["main_leader_trips"], half["main_leader_visits"], half["main_leader_negotiations"]) == (14, 45, 6)
    chains = {r["chain"] for r in sample.json("projects", "list", "--marshal") if r["chain"]}
    assert len(chains) == 10
    signed = sample.json("report", "--cohort", "--signed-on", "2023-06-26", "--as-of", "2023-06-26")
    assert signed["totals"]["signed"]["count"] == 10
    week = sample.json("report", "--week", "--as-of", "2023-06-27")
    started = [r for r in week["lists"]["started"] if "2023-06-27" in (r["started_on"], r["ready_on"])]
    assert len(started) == 10 and sum(r["investment_wan"] or 0 for r in started) == 1_630_000


CASES = {
    "week.txt": ("report", "--week", "--as-of", "2023-06-30"),
    "week.md": ("report", "--week", "--as-of", "2023-06-30", "--format", "md"),
    "week.json": ("report", "--week", "--as-of", "2023-06-30", "--format", "json"),
    "week.prose.txt": ("report", "--week", "--as-of", "2023-06-30", "--format", "text"),
    "month.txt": ("report", "--month", "--as-of", "2023-06-30"),
    "scorecard.txt": ("scorecard", "--as-of", "2023-07-23"),
    "scorecard.json": ("scorecard", "--as-of", "2023-07-23", "--format", "json"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_sample_golden(sample: Zs, name: str) -> None:
    out = sample.ok(*CASES[name]).out
    path = GOLDEN / name
    if os.environ.get("ZS_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    if not path.exists():
        pytest.skip(f"no golden file {path.relative_to(ROOT)} yet: run with ZS_UPDATE_GOLDEN=1 and review it")
    assert out == path.read_text(encoding="utf-8")


def test_sample_is_not_modified_by_reports(sample: Zs) -> None:
    from conftest import dump

    before = dump(sample.db)
    sample.ok("report", "--month", "--as-of", "2023-06-30")
    assert dump(sample.db) == before


def test_month_ranking_and_scorecard_say_which_score_they_give(sample: Zs) -> None:
    """On 2023-06-30 the month's 单位排名 gives 区交通发展集团 120.00 and the scorecard 105.00: the month
    scores pro rata (targets × 77.0% of the time gone, each term capped at 1.2), the scorecard against
    the full targets. Both say so; and both call the same units ahead (task progress ≥ time progress)."""
    month = sample.json("report", "--month", "--as-of", "2023-06-30")
    card = sample.json("scorecard", "--as-of", "2023-06-30")
    ranking = {r["unit"]: r for r in month["ranking"]}
    units = {u["unit"]: u for u in card["units"]}
    assert (ranking["区交通发展集团"]["score"], units["区交通发展集团"]["score"]) == (1.2, 1.05)
    assert (month["ranking_basis"]["pro_rata"], card["pro_rata"]) == (True, False)
    for name, u in units.items():
        assert ranking[name]["progress"] == u["progress"] and ranking[name]["ahead"] == u["ahead"], name
    assert ranking["税郭镇"]["ahead"] is True  # 78.6% of its targets on day 77 of 100
    text = sample.ok("report", "--month", "--as-of", "2023-06-30").out
    assert "序时得分：对照“百日会战”目标按序时进度评分" in text and "zs scorecard 的得分按全部目标计" in text
    assert "得分按全部目标计" in sample.ok("scorecard", "--as-of", "2023-06-30").out
