"""`zs users add/grant/revoke/list`: who may change what on a shared ledger."""

import sys
from typing import Annotated

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, OutOpt, done, err, new_app, output, reading, writing

app = new_app("用户与权限 users: add, grant, revoke, list.\n\n例 example: zs users grant 王科长 税郭镇")

NameArg = Annotated[str, typer.Argument(help="用户名 user name (on PostgreSQL also the login role).")]
UnitsArg = Annotated[list[str], typer.Argument(help="责任单位 units.")]


def _password() -> str:
    """Asked twice at a terminal (never echoed); one line of stdin in a script."""
    if sys.stdin.isatty():
        return typer.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        from zhaoshang.errors import BadValue

        raise BadValue("--password：标准输入没有密码。")
    return line


@app.command("add")
def add(
    name: NameArg,
    role: Annotated[str, typer.Option("--role", "-r", help="角色 admin | clerk | viewer (管理员/填报员/只读).")] = "clerk",
    password: Annotated[bool, typer.Option(
        "--password", help="PostgreSQL：设置登录密码（终端里询问，脚本里读标准输入一行）set the login password.")] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """添加用户或修改角色 Add a user (or change a user's role).

    admin changes everything; clerk changes the projects, milestones and trips of their units
    (zs users grant); viewer only reads. On PostgreSQL the user is a login role whose rights the
    database itself enforces; run this as the ledger's owner.

    例 example: zs users add 王科长 --role clerk && zs users grant 王科长 税郭镇
    """
    from zhaoshang.services.users import add_user
    from zhaoshang.vocabulary.labels import ROLE_ZH

    secret = _password() if password else None
    with writing("users add", by, dry_run=dry_run) as ctx:
        user, old = add_user(ctx, name, role, secret)
    if old is None:
        done(f"已添加用户 {user.name}（{ROLE_ZH[user.role]}）")
    elif old != user.role:
        done(f"已将 {user.name} 的角色从{ROLE_ZH[old]}改为{ROLE_ZH[user.role]}",
             would=f"将把 {user.name} 的角色从{ROLE_ZH[old]}改为{ROLE_ZH[user.role]}")
    else:
        err(f"{user.name} 已是{ROLE_ZH[user.role]}" + ("（已设置密码）" if secret else ""))


@app.command("grant")
def grant(name: NameArg, units: UnitsArg, by: ByOpt = None, dry_run: DryRunOpt = False) -> None:
    """授予单位 Let a clerk change the projects, milestones and trips of these units.

    例 example: zs users grant 王科长 税郭镇 区工信局
    """
    from zhaoshang.services.users import grant_units

    with writing("users grant", by, dry_run=dry_run) as ctx:
        changed = grant_units(ctx, name, units)
    if changed:
        done(f"已授予 {name}：{'、'.join(changed)}")
    else:
        err(f"{name} 已有这些单位。")


@app.command("revoke")
def revoke(name: NameArg, units: UnitsArg, by: ByOpt = None, dry_run: DryRunOpt = False) -> None:
    """收回单位 Take units away from a user.

    例 example: zs users revoke 王科长 区工信局
    """
    from zhaoshang.services.users import grant_units

    with writing("users revoke", by, dry_run=dry_run) as ctx:
        changed = grant_units(ctx, name, units, revoke=True)
    if changed:
        done(f"已收回 {name}：{'、'.join(changed)}")
    else:
        err(f"{name} 没有这些单位。")


@app.command("list")
def list_(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """用户列表 Users, their roles and units.

    例 example: zs users list --format json
    """
    from zhaoshang.services.users import list_users
    from zhaoshang.vocabulary.labels import ROLE_ZH
    from zhaoshang.vocabulary.listings import USERS

    with reading() as session:
        rows = list_users(session)
    if fmt is not Fmt.json:
        zh = _common.state.lang == "zh"
        rows = [dict(r, role=ROLE_ZH[r["role"]] if zh else r["role"], units="、".join(r["units"])) for r in rows]
    output(rows, USERS, fmt, out)
