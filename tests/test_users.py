"""Users, roles and units: enforced by zs for a declared user, and by PostgreSQL for a login."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import make_url

from conftest import Zs, dump
from zhaoshang.config import database_url
from zhaoshang.db.engine import connect, dispose_all


@pytest.fixture
def person(ledger: str, testrun_uid: str, worker_id: str) -> Iterator[Callable[[str], str]]:
    """A user name: as given on SQLite; made unique for this run on PostgreSQL, where every user is
    also a server-wide login role (dropped afterwards)."""
    made: list[str] = []

    def name(base: str) -> str:
        if "://" not in ledger:
            return base
        made.append(f"{base}_{testrun_uid[:6]}_{worker_id}_{len(made)}".lower())
        return made[-1]

    yield name
    drop_roles(ledger, made)


def drop_roles(ledger: str, names: list[str]) -> None:
    if not names:
        return
    import psycopg

    dispose_all()
    dsn = make_url(ledger).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for name in names:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                conn.execute(f'DROP OWNED BY "{name}"')
                conn.execute(f'DROP ROLE "{name}"')


@dataclass
class Office:
    """The district with a clerk of 区工信局, a viewer, and a project of 税郭镇 beside P-001."""

    zs: Zs
    clerk: str
    viewer: str


@pytest.fixture
def office(district: Zs, person) -> Office:
    district.ok("add-project", "万达广场", "--amount", "20亿", "--unit", "税郭镇", "--stage", "signed",
                "--date", "2023-06-26", "--code", "P-002")
    office = Office(district, person("王科长"), person("李主任"))
    district.ok("users", "add", office.clerk, "--role", "clerk")
    district.ok("users", "grant", office.clerk, "区工信局")
    district.ok("users", "add", office.viewer, "--role", "viewer")
    return office


def one_line_refusal(run) -> None:  # type: ignore[no-untyped-def]
    assert run.code == 1, run
    assert run.err.count("\n") == 1 and "无权" in run.err and "Traceback" not in run.err


def test_users_add_grant_list(office: Office, ledger: str) -> None:
    zs, clerk, viewer = office.zs, office.clerk, office.viewer
    assert sorted(zs.json("users", "list"), key=lambda u: u["role"]) == [
        {"name": clerk, "role": "clerk", "units": ["区工信局"]},
        {"name": viewer, "role": "viewer", "units": []},
    ]
    table = zs.ok("users", "list").out
    assert "填报员" in table and "区工信局" in table
    zs.ok("users", "grant", clerk, "税郭镇")
    assert "没有" not in zs.ok("users", "revoke", clerk, "税郭镇").err
    assert zs("users", "grant", clerk, "区商务局").code == 1
    assert zs("users", "grant", "张三", "税郭镇").code == 1
    assert zs("users", "add", "赵", "--role", "boss").code == 1
    run = zs.ok("users", "add", viewer, "--role", "admin")
    assert "只读" in run.err and "管理员" in run.err
    with connect(database_url(ledger)) as conn:
        events = conn.exec_driver_sql(
            "SELECT actor, field, old, new FROM event WHERE entity = 'user' AND field IS NOT NULL ORDER BY id").all()
    dispose_all()
    assert [tuple(e) for e in events] == [
        ("测试员", "unit", None, "区工信局"), ("测试员", "unit", None, "税郭镇"), ("测试员", "unit", "税郭镇", None),
        ("测试员", "role", "viewer", "admin")]


def test_a_declared_clerk_changes_only_their_units(office: Office, ledger: str) -> None:
    zs, by = office.zs, ("--by", office.clerk)
    before = dump(ledger)
    one_line_refusal(zs("projects", "update", "P-002", "--note", "x", *by))
    one_line_refusal(zs("projects", "advance", "P-002", "started", *by))
    one_line_refusal(zs("milestones", "add", "P-002", "groundbreaking", "--planned", "2023-08", *by))
    one_line_refusal(zs("trips", "add", "--unit", "税郭镇", "--date", "2023-05-01", *by))
    one_line_refusal(zs("add-project", "新项目", "--unit", "税郭镇", *by))
    one_line_refusal(zs("add-project", "无主项目", *by))
    # Moving its own project to another unit would hand that unit a project it did not enter.
    one_line_refusal(zs("projects", "update", "P-001", "--unit", "税郭镇", *by))
    one_line_refusal(zs("units", "add", "新单位", *by))
    one_line_refusal(zs("users", "grant", office.clerk, "税郭镇", *by))
    assert dump(ledger) == before

    zs.ok("projects", "update", "P-001", "--progress", "主体完工", *by)
    zs.ok("projects", "advance", "P-001", "started", "--date", "2023-06-27", *by)
    zs.ok("trips", "add", "--unit", "区工信局", "--date", "2023-05-01", *by)
    zs.ok("add-project", "工信新项目", "--unit", "区工信局", "--code", "P-003", *by)
    history = zs.json("projects", "history", "P-001")
    assert {h["actor"] for h in history if h["field"] in ("progress", "stage")} == {office.clerk}


def test_a_declared_clerk_reviews_and_raises_problems_of_their_units_only(office: Office, ledger: str) -> None:
    zs, by = office.zs, ("--by", office.clerk)
    before = dump(ledger)
    one_line_refusal(zs("review", "add", "P-002", "--criterion", "能耗", "--verdict", "通过", *by))
    one_line_refusal(zs("problems", "add", "P-002", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-07-31",
                             "--raised", "2023-06-01", *by))
    one_line_refusal(zs("review", "gate", "require", *by))
    assert dump(ledger) == before
    zs.ok("review", "add", "P-001", "--criterion", "能耗", "--verdict", "通过", *by)
    # A problem on its own project may name another unit as the one to solve it.
    zs.ok("problems", "add", "P-001", "电力增容", "--owner", "税郭镇", "--due", "2023-07-31", "--raised", "2023-06-01",
          *by)


def test_a_declared_clerk_imports_only_their_units_rows(office: Office, ledger: str, tmp_path) -> None:
    """The city's workbook with the clerk's rows filled in: their rows land, the other units' rows that
    change nothing pass, those that would change something are row errors naming the unit."""
    from sheets import csv_file

    zs, by = office.zs, ("--by", office.clerk)
    header = ["项目编号", "项目名称", "总投资（亿元）", "责任单位", "项目阶段", "签约时间"]
    mine = ["P-010", "工信新项目", "3", "区工信局", "签约", "2023-06-20"]
    theirs = ["P-011", "镇上的项目", "2", "税郭镇", "签约", "2023-06-21"]  # a new project of another unit
    same = ["P-002", "万达广场", "20", "税郭镇", "签约", "2023-06-26"]  # another unit's project, as it is
    other = ["P-002", "万达广场", "25", "税郭镇", "签约", "2023-06-26"]  # another unit's project, changed
    away = ["P-001", "中环", "60", "税郭镇", "签约", ""]  # its own project, handed to another unit
    before = dump(ledger, skip=("import_batch",))
    for rows, name, reason in (([other], "改别人.csv", "无权修改税郭镇的项目"),
                               ([away], "移走.csv", "无权修改税郭镇的项目")):
        run = zs("import", str(csv_file(tmp_path / name, [header, *rows], "utf-8-sig", ",")), *by, "--format", "json")
        assert run.code == 1 and "Traceback" not in run.err, run
        assert [e["reason"] for e in json.loads(run.out)["errors"]] == [f"{office.clerk}（填报员）{reason}"]
        assert dump(ledger, skip=("import_batch",)) == before
    run = zs("import", str(csv_file(tmp_path / "全市.csv", [header, mine, theirs, same], "utf-8-sig", ",")), *by,
             "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert (report["inserted"], report["unchanged"], report["rejected"]) == (1, 1, 1)
    assert [(e["cell"], e["reason"]) for e in report["errors"]] == [
        ("D3", f"{office.clerk}（填报员）无权新增税郭镇的项目")]
    assert [p["code"] for p in zs.json("projects", "list")] == ["P-001", "P-002", "P-010"]


def test_a_declared_viewer_only_reads(office: Office, ledger: str) -> None:
    zs, by = office.zs, ("--by", office.viewer)
    before = dump(ledger)
    one_line_refusal(zs("projects", "update", "P-001", "--note", "x", *by))
    one_line_refusal(zs("trips", "add", "--unit", "区工信局", "--date", "2023-05-01", *by))
    assert dump(ledger) == before
    assert len(zs.json("projects", "list")) == 2


def test_names_that_are_no_user_are_not_restricted(office: Office) -> None:
    """On a SQLite ledger a name is only declared: rights bind the users the ledger knows."""
    office.zs.ok("projects", "update", "P-002", "--note", "办公室统一修改", "--by", "办公室")
    office.zs.ok("units", "add", "新单位")  # ZS_USER=测试员, who is no user


@pytest.mark.sqlite_only
def test_password_is_for_postgresql_only(zs: Zs) -> None:
    run = zs("users", "add", "王科长", "--password", input="secret\n")
    assert run.code == 1 and "PostgreSQL" in run.err


# --------------------------------------------------------------------------- PostgreSQL logins


@pytest.fixture
def logins(ledger: str, testrun_uid: str, worker_id: str) -> Iterator[Callable[[str], str]]:
    """Unique login role names for this run (roles are server-wide); dropped afterwards."""
    made: list[str] = []

    def new(kind: str) -> str:
        made.append(f"zs_{kind}_{testrun_uid[:8]}_{worker_id}_{len(made)}".lower())
        return made[-1]

    yield new
    drop_roles(ledger, made)


def as_login(ledger: str, name: str, password: str) -> str:
    return make_url(ledger).set(username=name, password=password).render_as_string(hide_password=False)


@pytest.mark.postgresql_only
def test_postgresql_refuses_a_clerk_another_units_rows(district: Zs, ledger: str, logins) -> None:
    import psycopg

    district.ok("add-project", "万达广场", "--amount", "20亿", "--unit", "税郭镇", "--stage", "signed",
                "--date", "2023-06-26", "--code", "P-002")
    clerk, viewer = logins("clerk"), logins("viewer")
    district.ok("users", "add", clerk, "--role", "clerk", "--password", input="clerk-pw\n")
    district.ok("users", "grant", clerk, "区工信局")
    district.ok("users", "add", viewer, "--role", "viewer", "--password", input="viewer-pw\n")
    before = dump(ledger)

    clerk_dsn = make_url(as_login(ledger, clerk, "clerk-pw")).set(drivername="postgresql")
    with psycopg.connect(clerk_dsn.render_as_string(hide_password=False), autocommit=True) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (clerk,)
        assert conn.execute("SELECT count(*) FROM project").fetchone() == (2,)  # reads the whole ledger
        other = conn.execute("UPDATE project SET note = 'x' WHERE code = 'P-002'")
        assert other.rowcount == 0  # another unit's row: the database does not let the clerk touch it
        for statement in (
            "INSERT INTO trip (unit_id, date, is_main_leader, visits, negotiations) "
            "SELECT id, '2023-05-01', false, 0, 0 FROM unit WHERE name = '税郭镇'",
            "UPDATE project SET unit_id = (SELECT id FROM unit WHERE name = '税郭镇') WHERE code = 'P-001'",
            "INSERT INTO user_unit SELECT u.id, n.id FROM \"user\" u, unit n WHERE n.name = '税郭镇'",
            "INSERT INTO event (entity, entity_id, at, actor, source) VALUES ('project', 1, now(), '别人', 'sql')",
            "DELETE FROM event",
            "INSERT INTO unit (name, kind, sort_order) VALUES ('新单位', 'other', 9)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("UPDATE \"user\" SET role = 'admin'").rowcount == 0
        assert dump(ledger) == before
        own = conn.execute("UPDATE project SET note = '本单位' WHERE code = 'P-001'")
        assert own.rowcount == 1

    viewer_dsn = make_url(as_login(ledger, viewer, "viewer-pw")).set(drivername="postgresql")
    with psycopg.connect(viewer_dsn.render_as_string(hide_password=False), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM project").fetchone() == (2,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE project SET note = 'y' WHERE code = 'P-001'")


@pytest.mark.postgresql_only
def test_zs_as_a_postgresql_login_acts_as_that_user(district: Zs, ledger: str, logins) -> None:
    district.ok("add-project", "万达广场", "--unit", "税郭镇", "--stage", "lead", "--code", "P-002")
    clerk, viewer = logins("clerk"), logins("viewer")
    district.ok("users", "add", clerk, "--role", "clerk", "--password", input="pw\n")
    district.ok("users", "grant", clerk, "区工信局")
    district.ok("users", "add", viewer, "--role", "viewer", "--password", input="pw\n")
    as_clerk, as_viewer = Zs(as_login(ledger, clerk, "pw")), Zs(as_login(ledger, viewer, "pw"))

    as_clerk.ok("projects", "update", "P-001", "--progress", "主体完工")  # ZS_USER says 测试员
    (change,) = [h for h in as_clerk.json("projects", "history", "P-001") if h["field"] == "progress"]
    assert change["actor"] == clerk
    one_line_refusal(as_clerk("projects", "update", "P-002", "--note", "x"))
    run = as_clerk("projects", "update", "P-001", "--note", "x", "--by", "测试员")
    assert run.code == 1 and run.err.count("\n") == 1 and clerk in run.err
    refused = as_clerk("users", "add", "zs_nobody", "--role", "admin")
    assert refused.code == 1 and refused.err.count("\n") == 1

    assert len(as_viewer.json("projects", "list")) == 2
    one_line_refusal(as_viewer("projects", "update", "P-001", "--note", "x"))


@pytest.mark.postgresql_only
def test_the_database_refusal_reaches_zs_users_as_one_line(district: Zs, ledger: str, logins) -> None:
    """A login the ledger does not know has no grants: every command fails in one line."""
    import psycopg

    stranger = logins("stranger")
    dsn = make_url(ledger).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{stranger}" LOGIN PASSWORD \'pw\'')
    district.ok("users", "add", logins("clerk"), "--role", "clerk")  # installs the policies
    run = Zs(as_login(ledger, stranger, "pw"))("projects", "list")
    assert run.code == 1 and run.err.count("\n") == 1 and "权限" in run.err and "Traceback" not in run.err


@pytest.mark.postgresql_only
def test_upgrade_covers_new_tables_with_the_policies(district: Zs, ledger: str, logins) -> None:
    """A table a later migration adds is scoped by its project_id once `zs db upgrade` has run."""
    import psycopg

    district.ok("add-project", "万达广场", "--unit", "税郭镇", "--stage", "lead", "--code", "P-002")
    clerk = logins("clerk")
    district.ok("users", "add", clerk, "--role", "clerk")
    district.ok("users", "grant", clerk, "区工信局")
    owner = make_url(ledger).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("CREATE TABLE project_note (id serial PRIMARY KEY, project_id integer, text text)")
    dispose_all()
    district.ok("db", "upgrade")
    dsn = make_url(as_login(ledger, clerk, "")).set(drivername="postgresql", password=None)
    with psycopg.connect(dsn.render_as_string(hide_password=False), autocommit=True) as conn:
        note = "INSERT INTO project_note (project_id, text) SELECT id, 'x' FROM project WHERE code = %s"
        conn.execute(note, ("P-001",))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(note, ("P-002",))


@pytest.mark.postgresql_only
def test_the_owner_is_no_ledger_user(district: Zs, ledger: str) -> None:
    owner = make_url(ledger).username or "postgres"
    run = district("users", "add", owner, "--role", "admin")
    assert run.code == 1 and f"“{owner}”是账本的所有者或超级用户，不能作为账本用户。" in run.err
    assert district.json("users", "list") == []
