"""联审: verdicts, the gate before signing, pending reviews, criteria versioned by date."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import Zs, dump

CRITERIA = ["产业准入", "布局规划", "环境保护", "能耗", "投资强度", "利税", "科技研发能力", "人才支撑"]


@pytest.fixture
def talks(district: Zs) -> Zs:
    """The small district plus P-002, in negotiation since April."""
    district.ok("add-project", "晟达菲尔高端乳制品产业园", "--investor", "晟达菲尔", "--amount", "10.3亿",
                "--unit", "税郭镇", "--stage", "在谈", "--date", "2023-04-20", "--code", "P-002")
    return district


def add(zs: Zs, code: str, name: str, stage: str, date: str, unit: str | None = None) -> None:
    zs.ok("add-project", name, "--stage", stage, "--date", date, "--code", code, *(["--unit", unit] if unit else []))


def pending_codes(zs: Zs, *args: str) -> list[str]:
    return [r["code"] for r in zs.json("review", "pending", *args)]


def review_all(zs: Zs, code: str, on: str, verdict: str = "pass", skip: tuple[str, ...] = ()) -> None:
    for name in CRITERIA:
        if name not in skip:
            zs.ok("review", "add", code, "--criterion", name, "--verdict", verdict, "--on", on)


def test_failed_energy_review_blocks_signing_and_names_it(talks: Zs, ledger) -> None:
    review_all(talks, "P-002", "2023-05-10", skip=("能耗",))
    talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "不通过", "--on", "2023-05-10",
             "--note", "单位产值能耗超标")
    before = dump(ledger)
    run = talks("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "能耗" in lines[0] and "Traceback" not in run.err
    assert dump(ledger) == before
    # --force alone is not enough: the reason is the point of the record.
    run = talks("projects", "advance", "P-002", "signed", "--date", "2023-06-26", "--force")
    assert run.code == 1 and "--reason" in run.err
    assert dump(ledger) == before


def test_forced_signing_is_in_the_history_with_its_reason(talks: Zs) -> None:
    talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "fail", "--on", "2023-05-10")
    run = talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26", "--force",
                   "--reason", "区政府常务会议特批", "--by", "王科长")
    assert "能耗" in run.err and "区政府常务会议特批" in run.err
    (row,) = [r for r in talks.json("projects", "list") if r["code"] == "P-002"]
    assert row["stage"] == "signed" and row["signed_on"] == "2023-06-26"
    history = talks.json("projects", "history", "P-002")
    (override,) = [h for h in history if h["field"] == "review_gate"]
    assert override["new"] == "区政府常务会议特批" and "能耗" in override["old"]
    assert override["actor"] == "王科长" and "--force" in override["source"]
    table = talks.ok("projects", "history", "P-002").out
    assert "越过联审" in table and "能耗" in table and "区政府常务会议特批" in table
    assert "联审 能耗：不通过 2023-05-10" in table


def test_missing_review_warns_by_default_and_blocks_when_required(talks: Zs, ledger) -> None:
    review_all(talks, "P-002", "2023-05-10", skip=("利税", "人才支撑"))
    assert talks.ok("review", "gate").out.strip() == "warn"
    run = talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26", "--dry-run")
    assert "利税" in run.err and "人才支撑" in run.err and "能耗" not in run.err
    talks.ok("review", "gate", "require")
    assert talks.ok("review", "gate").out.strip() == "require"
    before = dump(ledger)
    run = talks("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    assert run.code == 1 and "利税" in run.err and "人才支撑" in run.err
    assert dump(ledger) == before
    talks.ok("review", "add", "P-002", "-c", "利税", "-c", "人才支撑", "-v", "有条件通过", "--on", "2023-06-01",
             "--note", "达产后税收不低于 3000 万元")
    run = talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    assert "联审" not in run.err
    changes = [h for h in talks.json("projects", "history", "P-002") if h["entity"] == "setting"]
    assert changes == []  # the setting is the ledger's, not the project's
    assert talks("review", "gate", "sometimes").code == 1


def test_a_later_review_replaces_a_failed_one(talks: Zs) -> None:
    review_all(talks, "P-002", "2023-05-10")
    talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "fail", "--on", "2023-05-20")
    assert talks("projects", "advance", "P-002", "signed", "--date", "2023-06-26").code == 1
    # A pass given after the signing day does not clear a signing back-dated before it.
    talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "pass", "--on", "2023-07-01")
    run = talks("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    assert run.code == 1 and "联审未通过：能耗" in run.err
    talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "通过", "--on", "2023-06-10",
             "--note", "改用余热回收工艺后复审通过")
    talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    detail = talks.json("review", "show", "P-002", "--as-of", "2023-06-30")
    assert detail["complete"] is True and detail["failed"] == [] and detail["missing"] == []
    assert [c["criterion"] for c in detail["criteria"]] == CRITERIA
    energy = [r for r in detail["reviews"] if r["criterion"] == "能耗"]
    assert [r["verdict"] for r in energy] == ["pass", "fail", "pass", "pass"]
    # As of 2023-05-31 the fail was the latest word.
    assert talks.json("review", "show", "P-002", "--as-of", "2023-05-31")["failed"] == ["能耗"]
    table = talks.ok("review", "show", "P-002", "--as-of", "2023-05-31").out
    assert "不通过 能耗" in table and "联审记录" in table


def test_milestones_add_goes_through_the_gate(talks: Zs) -> None:
    talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "fail", "--on", "2023-06-01")
    run = talks("milestones", "add", "P-002", "signed", "--done", "2023-06-26")
    assert run.code == 1 and "能耗" in run.err


def test_review_add_refusals(talks: Zs, ledger) -> None:
    before = dump(ledger)
    for args, named in [
        (["--criterion", "能耗", "--verdict", "maybe"], "maybe"),
        (["--criterion", "颜值", "--verdict", "pass"], "颜值"),
        (["--verdict", "pass"], "--criterion"),
        (["--criterion", "能耗"], "--verdict"),
        (["--criterion", "能耗", "--verdict", "pass", "--on", "2023-02-30"], "2023-02-30"),
    ]:
        run = talks("review", "add", "P-002", *args)
        assert run.code == 1 and named in run.err, run
    run = talks("review", "add", "P-404", "--criterion", "能耗", "--verdict", "pass")
    assert run.code == 1 and "P-404" in run.err
    assert dump(ledger) == before
    # Recording the same verdict twice changes nothing.
    talks.ok("review", "add", "P-002", "--criterion", "能 耗", "--verdict", "pass", "--on", "2023-05-10")
    after = dump(ledger)
    run = talks.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "通过", "--on", "2023-05-10")
    assert "已有相同结论" in run.err and dump(ledger) == after


def test_pending_lists_negotiating_and_later_with_incomplete_or_failed_review(talks: Zs) -> None:
    talks.ok("add-project", "某线索", "--stage", "线索", "--date", "2023-05-01", "--code", "P-003")
    add(talks, "P-004", "全部通过", "在谈", "2023-05-01", "税郭镇")
    talks.ok("add-project", "已终止", "--stage", "在谈", "--date", "2023-05-01", "--code", "P-005")
    talks.ok("projects", "advance", "P-005", "terminated", "--date", "2023-06-01")
    talks.ok("add-project", "七月才谈", "--stage", "在谈", "--date", "2023-07-03", "--code", "P-006")
    review_all(talks, "P-004", "2023-05-15", verdict="conditional")
    review_all(talks, "P-002", "2023-05-15")
    talks.ok("review", "add", "P-002", "--criterion", "环境保护", "--verdict", "fail", "--on", "2023-06-20")
    rows = talks.json("review", "pending", "--as-of", "2023-06-30")
    assert [r["code"] for r in rows] == ["P-001", "P-002"]  # official unit order: 区工信局, 税郭镇
    p001, p002 = rows
    assert p001["missing"] == CRITERIA and p001["failed"] == [] and p001["reviewed"] == 0
    assert p002["failed"] == ["环境保护"] and p002["missing"] == [] and p002["reviewed"] == 8
    assert p002["criteria"] == 8 and p002["stage"] == "negotiating"
    # Before the fail, P-002 was complete; P-006 enters the list once it negotiates.
    assert pending_codes(talks, "--as-of", "2023-06-19") == ["P-001"]
    assert pending_codes(talks, "--as-of", "2023-07-10") == ["P-001", "P-002", "P-006"]
    assert pending_codes(talks, "--as-of", "2023-06-30", "--signed") == ["P-001"]
    assert pending_codes(talks, "--as-of", "2023-06-30", "--unit", "税郭镇") == ["P-002"]
    table = talks.ok("review", "pending", "--as-of", "2023-06-30").out
    assert "环境保护" in table and "产业准入、布局规划" in table


def test_criteria_are_versioned_by_date_and_old_reviews_keep_their_meaning(talks: Zs, ledger) -> None:
    assert [c["name"] for c in talks.json("review", "criteria", "list")] == CRITERIA
    run = talks.ok("review", "criteria", "add", "安全生产", "--from", "2024-01-01")
    assert "安全生产" in run.err
    talks.ok("review", "criteria", "drop", "人才支撑", "--from", "2024-01-01")
    assert [c["name"] for c in talks.json("review", "criteria", "list", "--on", "2023-12-31")] == CRITERIA
    new = [*CRITERIA[:-1], "安全生产"]
    assert [c["name"] for c in talks.json("review", "criteria", "list", "--on", "2024-01-01")] == new
    versions = talks.json("review", "criteria", "list", "--all")
    assert {"name": "人才支撑", "sort_order": 8, "valid_from": None, "valid_until": "2023-12-31"} in versions
    assert {"name": "安全生产", "sort_order": 8, "valid_from": "2024-01-01", "valid_until": None} in versions
    # A change dated before the newest version is refused.
    before = dump(ledger)
    run = talks("review", "criteria", "drop", "利税", "--from", "2023-09-01")
    assert run.code == 1 and "2024-01-01" in run.err
    assert dump(ledger) == before
    # 人才支撑 can be reviewed for 2023, not for 2024; 安全生产 the other way round.
    talks.ok("review", "add", "P-002", "--criterion", "人才支撑", "--verdict", "pass", "--on", "2023-12-01")
    assert talks("review", "add", "P-002", "-c", "人才支撑", "-v", "pass", "--on", "2024-01-02").code == 1
    assert talks("review", "add", "P-002", "-c", "安全生产", "-v", "pass", "--on", "2023-12-01").code == 1
    # The old review shows as a criterion no longer in force, and 2024's list is what is missing.
    detail = talks.json("review", "show", "P-002", "--as-of", "2024-02-01")
    assert detail["missing"] == new
    old = detail["criteria"][-1]
    assert (old["criterion"], old["verdict"], old["in_force"]) == ("人才支撑", "pass", False)
    assert "已停用" in talks.ok("review", "show", "P-002", "--as-of", "2024-02-01").out
    # Setting the whole list at once, and the same day twice.
    talks.ok("review", "criteria", "set", *new, "数字化水平", "--from", "2024-03-01")
    talks.ok("review", "criteria", "set", *new, "--from", "2024-03-01")
    assert [c["name"] for c in talks.json("review", "criteria", "list", "--on", "2024-03-02")] == new
    assert talks("review", "criteria", "set", "能耗", "能耗", "--from", "2024-04-01").code == 1


def test_a_project_is_judged_by_the_criteria_in_force_when_it_signs(talks: Zs) -> None:
    talks.ok("review", "criteria", "add", "安全生产", "--from", "2024-01-01")
    talks.ok("review", "gate", "require")
    review_all(talks, "P-002", "2023-06-01")
    talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-12-20", "--dry-run")
    run = talks("projects", "advance", "P-002", "signed", "--date", "2024-01-05")
    assert run.code == 1 and "安全生产" in run.err


def _session(ledger: str):  # type: ignore[no-untyped-def]
    from zhaoshang.config import database_url
    from zhaoshang.db.engine import session_scope

    return session_scope(database_url(ledger))


def test_signed_without_complete_review_as_of_the_signing_day(talks: Zs, ledger) -> None:
    from zhaoshang.services.pending import signed_without_complete_review

    # P-001 signed 2023-05-20 with no review at all.
    # P-002: complete review before signing.
    review_all(talks, "P-002", "2023-05-10")
    talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    # P-003: reviewed only after signing (recorded late): signed without a complete review.
    add(talks, "P-003", "补审项目", "signed", "2023-06-26", "税郭镇")
    review_all(talks, "P-003", "2023-07-15")
    # P-004: signed in June 2023 (month only), reviewed mid-June: counts as before signing.
    add(talks, "P-004", "按月签约", "signed", "2023年6月", "税郭镇")
    review_all(talks, "P-004", "2023-06-15")
    # P-005: forced past a failed review.
    add(talks, "P-005", "强行签约", "在谈", "2023-03-01", "税郭镇")
    review_all(talks, "P-005", "2023-04-01", skip=("能耗",))
    talks.ok("review", "add", "P-005", "--criterion", "能耗", "--verdict", "fail", "--on", "2023-04-01")
    talks.ok("projects", "advance", "P-005", "signed", "--date", "2023-04-10", "--force", "--reason", "特批")
    # P-006: signed in 2022, outside the window.
    talks.ok("add-project", "去年签约", "--stage", "signed", "--date", "2022-12-01", "--code", "P-006")
    with _session(ledger) as session:
        rows = signed_without_complete_review(session, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        assert [r["code"] for r in rows] == ["P-005", "P-001", "P-003"]
        p005, p001, p003 = rows
        assert p005["failed"] == ["能耗"] and p005["missing"] == []
        assert p001["missing"] == CRITERIA and p001["signed_on"] == "2023-05-20"
        assert p003["missing"] == CRITERIA
        # A week window leaves the month-precision signing out; a June window holds it.
        assert [r["code"] for r in signed_without_complete_review(session, dt.date(2023, 6, 26),
                                                                   dt.date(2023, 7, 2))] == ["P-003"]
        assert signed_without_complete_review(session, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == []


def test_signed_unreviewed_for_an_import_summary(talks: Zs, ledger) -> None:
    from zhaoshang.services.pending import signed_unreviewed

    review_all(talks, "P-002", "2023-05-10")
    with _session(ledger) as session:
        from sqlmodel import select

        from zhaoshang.models import Project

        ids = dict(session.exec(select(Project.code, Project.id)).all())
        rows = signed_unreviewed(session, [ids["P-001"], ids["P-002"]], as_of=dt.date(2023, 6, 30))
        assert [r["code"] for r in rows] == ["P-001"]
        assert signed_unreviewed(session, [], as_of=dt.date(2023, 6, 30)) == []


@pytest.fixture
def pg(pg_server, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The worker's PostgreSQL ledger (tests/pgledger.py), put back afterwards."""
    from zhaoshang.db.engine import dispose_all

    monkeypatch.setenv("ZS_USER", "测试员")
    zs = Zs(pg_server.ledger())
    zs.ok("init")
    yield zs
    dispose_all()
    pg_server.reset()


def test_review_and_problems_on_postgresql(pg: Zs) -> None:
    pg.ok("units", "add", "税郭镇", "--kind", "town")
    add(pg, "P-001", "无联审签约", "signed", "2023-05-20", "税郭镇")
    add(pg, "P-002", "在谈项目", "在谈", "2023-04-20", "税郭镇")
    add(pg, "P-003", "按月签约", "signed", "2023年6月", "税郭镇")
    review_all(pg, "P-003", "2023-06-15")
    review_all(pg, "P-002", "2023-05-10", skip=("能耗",))
    pg.ok("review", "add", "P-002", "--criterion", "能耗", "--verdict", "不通过", "--on", "2023-05-10")
    run = pg("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    assert run.code == 1 and "能耗" in run.err
    pg.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26", "--force", "--reason", "特批")
    assert any(h["field"] == "review_gate" for h in pg.json("projects", "history", "P-002"))
    rows = pg.json("review", "pending", "--as-of", "2023-06-30")
    assert [(r["code"], r["failed"], len(r["missing"])) for r in rows] == [("P-001", [], 8), ("P-002", ["能耗"], 0)]
    pg.ok("problems", "add", "P-001", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-06-20",
          "--raised", "2023-05-08")
    pg.ok("problems", "add", "P-002", "电力增容", "--owner", "税郭镇", "--due", "2023-07-20", "--raised", "2023-06-27")
    late = pg.json("problems", "list", "--overdue", "--as-of", "2023-06-30")
    assert [(r["id"], r["days_late"]) for r in late] == [(1, 10)]

    from zhaoshang.config import database_url
    from zhaoshang.db.engine import session_scope
    from zhaoshang.services.pending import signed_without_complete_review
    from zhaoshang.services.problems import problem_counts, resolved_on_time

    with session_scope(database_url(pg.db)) as session:
        (counts,) = problem_counts(session, dt.date(2023, 6, 26), dt.date(2023, 7, 2), dt.date(2023, 6, 30)).values()
        assert counts == {"problems_raised": 1, "problems_resolved": 0, "problems_open": 2, "problems_overdue": 1}
        assert resolved_on_time(session, dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == {}
        rows = signed_without_complete_review(session, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        assert [r["code"] for r in rows] == ["P-001", "P-002"]


@pytest.mark.parametrize("command", [
    ["review", "add"], ["review", "show"], ["review", "pending"], ["review", "gate"],
    ["review", "criteria", "list"], ["review", "criteria", "set"], ["review", "criteria", "add"],
    ["review", "criteria", "drop"], ["problems", "add"], ["problems", "list"], ["problems", "resolve"],
])
def test_every_command_has_help_with_an_example(zs: Zs, command: list[str]) -> None:
    assert "例 example: zs " + " ".join(command) in " ".join(zs.ok(*command, "--help").out.split())


def test_group_help_stays_light() -> None:
    from test_startup import loaded_after

    assert loaded_after("review", "--help") == []
    assert loaded_after("problems", "--help") == []


def test_review_add_all_and_unknown_project(talks: Zs) -> None:
    run = talks.ok("review", "add", "P-002", "--all", "-v", "通过", "--on", "2023-05-10", "--reviewer", "区发改局")
    assert "人才支撑" in run.err
    detail = talks.json("review", "show", "P-002", "--as-of", "2023-05-10")
    assert detail["complete"] and {c["reviewer"] for c in detail["criteria"]} == {"区发改局"}
    assert talks("review", "show", "P-404").code == 1
    assert talks("review", "pending", "--unit", "无此单位").code == 1


def test_a_project_entered_as_signed_says_what_its_review_lacks(talks: Zs) -> None:
    talks.ok("review", "gate", "require")
    run = talks.ok("add-project", "已签项目", "--stage", "signed", "--date", "2023-06-26", "--code", "S-9")
    assert "项目“S-9”以签约录入，联审未完成（缺少：产业准入、布局规划" in run.err
    assert talks.json("projects", "show", "S-9")["stage"] == "signed"


def test_pending_judges_a_signed_project_by_the_criteria_of_its_signing_day(talks: Zs) -> None:
    review_all(talks, "P-002", "2023-05-10")
    talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    talks.ok("review", "criteria", "add", "安全生产", "--from", "2023-07-01")
    assert "P-002" not in pending_codes(talks, "--as-of", "2023-07-15")


def test_the_import_summary_judges_signings_by_their_day_s_criteria(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import Zs

    zs = Zs(str(tmp_path / "s.db"))
    zs.ok("init", "--sample")
    zs.ok("review", "criteria", "add", "安全生产", "--from", "2024-01-01")
    from pathlib import Path

    run = zs.ok("import", str(Path(__file__).parent.parent / "sample_data" / "shizhong-2023.xlsx"))
    assert "已签约但联审未完成的项目 3 个：ZD-015、ZD-044、ZD-058" in run.err


def test_verdicts_typed_after_a_past_signing_are_named_with_how_to_date_them(talks: Zs, ledger) -> None:
    talks.ok("review", "add", "P-002", "--all", "--verdict", "通过", "--on", "2023-07-01")
    run = talks.ok("projects", "advance", "P-002", "signed", "--date", "2023-06-26")
    (warning,) = [line for line in run.err.splitlines() if line.startswith("注意：")]
    assert warning == (
        "注意：项目“P-002”未完成联审（缺少产业准入、布局规划、环境保护、能耗、投资强度、利税、科技研发能力、人才支撑）。"
        "这些标准的联审结论日期（2023-07-01）晚于签约日 2023-06-26，不算签约前的联审；若联审在签约前已做，"
        "用 zs review add P-002 --all --verdict … --on 联审日期 记下当时的日期。")
    # Under review_gate require the refusal says the same, naming only the criteria dated late.
    add(talks, "P-003", "精密模具产业园", "在谈", "2023-04-20")
    review_all(talks, "P-003", "2023-06-01", skip=("能耗",))
    talks.ok("review", "add", "P-003", "--criterion", "能耗", "--verdict", "通过", "--on", "2023-07-02")
    talks.ok("review", "gate", "require")
    before = dump(ledger)
    run = talks("projects", "advance", "P-003", "signed", "--date", "2023-06-26")
    assert run.code == 1
    assert run.err == ("错误：项目“P-003”联审未完成：缺少能耗，不能签约。能耗的联审结论日期（2023-07-02）"
                       "晚于签约日 2023-06-26，不算签约前的联审；若联审在签约前已做，"
                       "用 zs review add P-003 --criterion 能耗 --verdict … --on 联审日期 记下当时的日期。 "
                       "用 zs review add 补齐，或用 --force --reason 说明原因。\n")
    assert dump(ledger) == before


def test_a_list_of_criteria_in_one_option(talks: Zs) -> None:
    for given in ("产业准入,布局规划", "产业准入、布局规划", "产业准入，布局规划"):
        run = talks.ok("review", "add", "P-002", "--criterion", given, "--verdict", "通过", "--on", "2023-05-10",
                       "--note", given)
        assert run.err == "已登记联审 P-002 2023-05-10：产业准入、布局规划 通过\n"
    detail = talks.json("review", "show", "P-002", "--as-of", "2023-05-10")
    assert [r["criterion"] for r in detail["reviews"]] == ["产业准入", "布局规划"] * 3
