"""Users, their roles and units, and who may change what.

Roles: admin changes everything; clerk changes the projects (with their milestones, reviews and
problems) and trips of the units granted to them, nothing else; viewer only reads.

Who acts (Ctx.actor) is `--by`, else ZS_USER, else the OS user. On SQLite that name is self-declared:
a ledger without users is open to all; once users exist, a change made under a user's name obeys
that user's role and units, while a name that is no user is not restricted (the file's permissions
protect a SQLite ledger). On PostgreSQL, a login that is a ledger user always acts as itself (a
`--by` naming someone else is refused) and the database enforces the same rules (db/security.py);
the owner's login acts like SQLite.

`guard(ctx)` checks every row a unit of work flushes, so every service obeys the rules without
calling anything; bulk writes that bypass the ORM session call `require_units`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, Conflict, Forbidden, NotFound
from zhaoshang.models import ROLES, Event, ImportBatch, Project, Unit, User, UserUnit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import find_unit
from zhaoshang.vocabulary.labels import ENTITY_ZH, ROLE_ZH

# Rows anyone who may write at all may add: the audit log and import records.
ALWAYS = (Event, ImportBatch)
# Rows a clerk may change when they belong to one of the clerk's units (directly or via a project).
UNIT_COLUMN = {"project": "unit_id", "trip": "unit_id"}
ADMIN_ONLY = {"unit", "chain", "campaign", "target", "setting", "stage_word", "review_criterion", "user",
              "user_unit"}


@dataclass(frozen=True)
class Rights:
    user: str
    role: str
    unit_ids: frozenset[int]


# --------------------------------------------------------------------------- reading


def find_user(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None:
        raise NotFound(f"用户“{name}”不存在。", "用 zs users list 查看，zs users add 添加。")
    return user


def rights_of(session: Session, name: str) -> Rights | None:
    """The rights of a ledger user, or None when the name is no user (not restricted)."""
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        return None
    units = session.exec(select(UserUnit.unit_id).where(UserUnit.user_id == user.id)).all()
    return Rights(user.name, user.role, frozenset(units))


def list_users(session: Session) -> list[dict]:
    users = session.exec(select(User).order_by(User.name)).all()
    rows = session.exec(
        select(UserUnit.user_id, Unit.name).join(Unit, col(Unit.id) == UserUnit.unit_id)
        .order_by(Unit.sort_order, Unit.id)
    ).all()
    units: dict[int, list[str]] = {}
    for user_id, unit in rows:
        units.setdefault(user_id, []).append(unit)
    return [{"name": u.name, "role": u.role, "units": units.get(u.id, [])} for u in users]  # type: ignore[arg-type]


# --------------------------------------------------------------------------- enforcing


def guard(ctx: Ctx, declared: str | None = None) -> None:
    """Settle who acts and hold the unit of work to that user's rights.

    On PostgreSQL a login that is a ledger user is the actor, whatever ZS_USER says; a `--by`
    (declared) naming someone else is refused."""
    session = ctx.session
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from zhaoshang.db.security import current_login

        login = current_login(conn)
        if session.exec(select(User.id).where(User.name == login)).first() is not None:
            if declared and declared != login:
                raise Forbidden(f"以 {login} 登录时不能以“{declared}”的名义修改账本。",
                                "共享账本上每人用自己的账号操作；去掉 --by。")
            ctx.actor = login
    rights = rights_of(session, ctx.actor)
    if rights is None or rights.role == "admin":
        return

    @event.listens_for(session, "before_flush")
    def _check(session: Session, _flush: Any, _instances: Any) -> None:
        with session.no_autoflush:
            for obj in [*session.new, *session.deleted]:
                _check_row(session, rights, obj, changed=False)
            for obj in session.dirty:
                if session.is_modified(obj, include_collections=False):
                    _check_row(session, rights, obj, changed=True)


def require_units(ctx: Ctx, unit_ids: set[int | None], what: str = "project") -> None:
    """For bulk writes that bypass the session's flush: every unit must be the actor's."""
    rights = rights_of(ctx.session, ctx.actor)
    if rights is None or rights.role == "admin":
        return
    for unit_id in sorted(unit_ids, key=lambda u: (u is None, u or 0)):
        _require_unit(ctx.session, rights, unit_id, what, None)


def require_projects(ctx: Ctx, project_ids: set[int]) -> None:
    """For bulk writes that bypass the session's flush: every project must be of the actor's units."""
    rights = rights_of(ctx.session, ctx.actor)
    if rights is None or rights.role == "admin" or not project_ids:
        return
    rows = ctx.session.exec(select(Project.id, Project.code, Project.unit_id)
                            .where(col(Project.id).in_(sorted(project_ids)))).all()
    for _, code, unit_id in rows:
        _require_unit(ctx.session, rights, unit_id, "project", Project(code=code))  # type: ignore[call-arg]


def _check_row(session: Session, rights: Rights, obj: Any, *, changed: bool) -> None:
    if isinstance(obj, ALWAYS):
        if rights.role == "viewer" and isinstance(obj, Event):
            raise _refused(rights, ENTITY_ZH.get(obj.entity, obj.entity))
        return
    table = getattr(obj, "__tablename__", type(obj).__name__.lower())
    label = ENTITY_ZH.get(table, table)
    if rights.role == "viewer" or table in ADMIN_ONLY:
        raise _refused(rights, label)
    column = UNIT_COLUMN.get(table)
    if table == "problem" and _owns_problem(rights, obj, changed):
        return  # the owner unit solves the problem, whichever unit's project it is on
    if column is None and hasattr(obj, "project_id"):
        project = session.get(Project, obj.project_id) if obj.project_id is not None else None
        _require_unit(session, rights, project.unit_id if project else None, table, project)
        return
    if column is None and hasattr(obj, "unit_id"):
        column = "unit_id"
    if column is None:
        raise _refused(rights, label)
    units = {getattr(obj, column)}
    if changed:  # moving a row out of another unit is changing that unit's row
        units.update(inspect(obj).attrs[column].history.deleted or ())
    for unit_id in units:
        _require_unit(session, rights, unit_id, table, obj if table == "project" else None)


def _owns_problem(rights: Rights, problem: Any, changed: bool) -> bool:
    owners = {problem.owner_unit_id}
    if changed:
        owners.update(inspect(problem).attrs["owner_unit_id"].history.deleted or ())
    return None not in owners and owners <= rights.unit_ids


def _require_unit(session: Session, rights: Rights, unit_id: int | None, table: str, project: Any) -> None:
    if unit_id is not None and unit_id in rights.unit_ids:
        return
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    whose = f"{unit.name}的" if unit else "未指定责任单位的"
    label = ENTITY_ZH.get(table, table)
    if project is not None and table == "project" and getattr(project, "code", None):
        label = f"项目“{project.code}”"
    elif project is not None and getattr(project, "code", None):
        label = f"项目“{project.code}”的{label}"
    raise _refused(rights, whose + label)


def _refused(rights: Rights, what: str) -> Forbidden:
    role = ROLE_ZH.get(rights.role, rights.role)
    if rights.role == "viewer":
        return Forbidden(f"{rights.user}（{role}）无权修改{what}：只读用户只能查看。")
    return Forbidden(f"{rights.user}（{role}）无权修改{what}。",
                     "填报员只能修改本单位的项目、节点和外出招商；请联系管理员（zs users grant）。")


# --------------------------------------------------------------------------- changing


def check_name(name: str) -> str:
    """A user name is also a PostgreSQL login role: 1–63 bytes, not pg_…, no surrounding spaces."""
    name = name.strip()
    if not name:
        raise BadValue("用户名不能为空。")
    if len(name.encode()) > 63:
        raise BadValue(f"用户名“{name}”太长（最多 63 字节，约 21 个汉字）。")
    if name.lower().startswith("pg_") or any(ch in name for ch in "\"\x00"):
        raise BadValue(f"用户名“{name}”无效。")
    return name


def check_role(role: str) -> str:
    key = role.strip().lower()
    key = {v: k for k, v in ROLE_ZH.items()}.get(role.strip(), key)
    if key not in ROLES:
        raise BadValue(f"角色“{role}”无效。", f"可用：{', '.join(ROLES)}。")
    return key


def add_user(ctx: Ctx, name: str, role: str, password: str | None = None) -> tuple[User, str | None]:
    """Add a user, or change an existing user's role. Returns the user and its previous role
    (None when new; equal to the role when nothing changed). On PostgreSQL the user is also a login
    role with this ledger's grants (created when missing; `password` sets its password)."""
    name, role = check_name(name), check_role(role)
    server = _on_server(ctx)
    if password is not None and not server:
        raise BadValue("--password 只用于 PostgreSQL 账本（SQLite 账本由文件权限保护）。")
    user = ctx.session.exec(select(User).where(User.name == name)).first()
    old = None
    if user is None:
        user = User(name=name, role=role)
        ctx.session.add(user)
        ctx.session.flush()
        audit.record_insert(ctx, "user", user)
    else:
        old = user.role
        audit.apply_changes(ctx, "user", user, {"role": role})
        ctx.session.flush()
    if server:
        _provision(ctx, name, password)
    return user, old


def _on_server(ctx: Ctx) -> bool:
    return ctx.session.connection().dialect.name == "postgresql"


def _provision(ctx: Ctx, name: str | None = None, password: str | None = None) -> None:
    """PostgreSQL: the login role (when missing), then policies and every user's grants."""
    from zhaoshang.db import security

    conn = ctx.session.connection()
    if not security.can_manage_roles(conn):
        raise Forbidden(f"以 {security.current_login(conn)} 登录不能管理 PostgreSQL 用户。",
                        "请用账本所有者（运行 zs init 的账号）连接后再运行 zs users。")
    if name is not None:
        owner = conn.exec_driver_sql(
            "SELECT r.rolsuper OR r.rolname = (SELECT tableowner FROM pg_tables WHERE tablename = 'project' "
            "AND schemaname = current_schema()) FROM pg_roles r WHERE r.rolname = %s", (name,)).scalar()
        if owner:  # its grants would be revoked and taken away from the tables it owns
            raise Conflict(f"“{name}”是账本的所有者或超级用户，不能作为账本用户。",
                           "所有者本来就能做一切（含 zs db upgrade 和 zs users）；给管理员另建一个账号。")
        if not security.role_exists(conn, name):
            security.create_login(conn, name, password)
        else:
            if password is not None:
                security.set_password(conn, name, password)
            ctx.warn(f"PostgreSQL 登录角色“{name}”已存在，沿用。")
            if security.is_superuser(conn, name):
                ctx.warn(f"“{name}”是超级用户：数据库不对其限制权限。")
    security.install(conn)


def grant_units(ctx: Ctx, name: str, units: list[str], *, revoke: bool = False) -> list[str]:
    """Give a user units (or take them away). Returns the units that really changed."""
    user = find_user(ctx.session, name)
    if not revoke and user.role != "clerk":
        ctx.warn(f"{user.name} 的角色是{ROLE_ZH[user.role]}：单位只限制填报员。")
    changed = []
    for unit_name in units:
        unit = find_unit(ctx, unit_name)
        link = ctx.session.get(UserUnit, (user.id, unit.id))
        if revoke and link is not None:
            ctx.session.delete(link)
            audit.record(ctx, "user", user.id, "unit", unit.name, None)  # type: ignore[arg-type]
            changed.append(unit.name)
        elif not revoke and link is None:
            ctx.session.add(UserUnit(user_id=user.id, unit_id=unit.id))  # type: ignore[arg-type]
            audit.record(ctx, "user", user.id, "unit", None, unit.name)  # type: ignore[arg-type]
            changed.append(unit.name)
    ctx.session.flush()
    return changed
