"""What a clerk reads: English counts that agree with their nouns, headings in one language at a time,
and a target echoed in the words it was typed in."""

from __future__ import annotations

from conftest import Zs


def test_english_prose_counts_agree_with_their_nouns(district: Zs) -> None:
    district.ok("add-project", "风电装备产业园", "--unit", "税郭镇", "--stage", "lead", "--date", "2023-06-27")
    district.ok("trips", "add", "--unit", "税郭镇", "--date", "2023-06-28", "--destination", "深圳")
    out = district.ok("--lang", "en", "report", "--week", "--as-of", "2023-06-30", "--format", "text").out
    assert "1 new lead and 0 newly planned projects; 1 promotion trip (0 led by main leaders)" in out
    assert "1 new leads" not in out and "1 promotion trips" not in out


def test_a_project_shows_its_milestones_under_one_heading_per_language(district: Zs) -> None:
    zh = district.ok("projects", "show", "P-001").out
    en = district.ok("--lang", "en", "projects", "show", "P-001").out
    assert "节点" in zh and "milestones" not in zh
    assert "Milestones" in en and "节点" not in en


def test_a_target_is_echoed_in_the_words_of_the_metric(district: Zs) -> None:
    district.ok("campaign", "create", "百日会战", "--start", "2023-04-15", "--days", "100")
    run = district.ok("campaign", "target", "百日会战", "--unit", "区工信局", "--metric", "签约", "--value", "3")
    assert run.err == "已设定目标 百日会战 / 区工信局 / 新签约项目 = 3\n"
    assert "new_signed" not in run.err
