"""Who may change what, enforced by PostgreSQL itself: login roles, grants and row-level security.

The ledger's own tables say who is who: `user` (name = the login role, role admin/clerk/viewer) and
`user_unit` (a clerk's units). The policies ask those tables, through the zs_* functions below, so
granting a unit is a row, not DDL. Every table is readable by every ledger user; writes are scoped:

- project, trip: rows of the user's units (clerk) or any row (admin);
- milestone, review, problem and any table with a project_id: rows of such a project;
- problem: rows of the problem's owner unit or of its project's unit;
- event: insert only, in the user's own name (actor = current_user), at the transaction's time, about
  rows the user may change; never changed or deleted (changes made with plain SQL get their event
  from the database itself, db/audit_pg.py);
- import_batch: any writer inserts; only its status (an undo) changes, by its own actor or an admin;
  never deleted; alembic_version and the chain (event_seal, event_block): read only;
- everything else (units, chains, campaigns, targets, settings, users …): admin only.

The ledger's owner (who ran `zs init`) is not subject to these policies, as PostgreSQL intends.
`install()` is idempotent: `zs users …` and `zs db upgrade` run it again so new tables are covered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

FUNCTIONS = """
CREATE OR REPLACE FUNCTION public.zs_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM public."user" z WHERE z.name = current_user AND z.role = 'admin')
$$;
CREATE OR REPLACE FUNCTION public.zs_may_write() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM public."user" z WHERE z.name = current_user AND z.role IN ('admin', 'clerk'))
$$;
CREATE OR REPLACE FUNCTION public.zs_may_unit(unit integer) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM public."user" z
     WHERE z.name = current_user
       AND (z.role = 'admin' OR (z.role = 'clerk' AND EXISTS (
             SELECT 1 FROM public.user_unit g WHERE g.user_id = z.id AND g.unit_id = unit))))
$$;
CREATE OR REPLACE FUNCTION public.zs_may_project(project integer) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT public.zs_may_unit((SELECT p.unit_id FROM public.project p WHERE p.id = project))
$$;
CREATE OR REPLACE FUNCTION public.zs_may_problem(problem integer) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM public.problem b WHERE b.id = problem
                  AND (public.zs_may_unit(b.owner_unit_id) OR public.zs_may_project(b.project_id)))
$$;
"""

ADMIN_ONLY = {"unit", "chain", "campaign", "target", "setting", "stage_word", "review_criterion", "user",
              "user_unit"}
UNIT_SCOPED = {"project": "unit_id", "trip": "unit_id"}
READ_ONLY = {"alembic_version", "event_seal", "event_block", "event_block_request"}
ROLES = ("admin", "clerk", "viewer")


def q(name: str) -> str:
    """A quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: Connection) -> dict[str, set[str]]:
    from sqlalchemy import text

    rows = conn.execute(text(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'")).all()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def _write_check(table: str, columns: set[str]) -> str | None:
    """The condition a row must meet to be written by the current user (None: no RLS)."""
    if table in READ_ONLY:
        return None
    if table == "event":
        return ("actor = current_user AND at = now() AND public.zs_may_write() "
                "AND (project_id IS NULL OR public.zs_may_project(project_id) "
                "OR (entity = 'problem' AND public.zs_may_problem(entity_id))) "
                "AND (entity <> 'project' OR public.zs_may_project(entity_id))")
    if table == "import_batch":
        return "public.zs_may_write() AND (actor = current_user OR public.zs_is_admin())"
    if table == "problem":
        return "public.zs_may_project(project_id) OR public.zs_may_unit(owner_unit_id)"
    if table in ADMIN_ONLY:
        return "public.zs_is_admin()"
    if table in UNIT_SCOPED:
        return f"public.zs_may_unit({UNIT_SCOPED[table]})"
    if "project_id" in columns:
        return "public.zs_may_project(project_id)"
    if "unit_id" in columns:
        return "public.zs_may_unit(unit_id)"
    return "public.zs_is_admin()"


def install(conn: Connection) -> None:
    """Create or refresh the functions, row-level security and policies, and every user's grants."""
    from sqlalchemy import text

    # The audit's deferred triggers (db/audit_pg.py) must fire before a table they are queued on
    # can be altered; later changes in this transaction are deferred again.
    conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    conn.exec_driver_sql(FUNCTIONS)
    conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for table, columns in sorted(_tables(conn).items()):
        check = _write_check(table, columns)
        existing = conn.execute(text("SELECT polname FROM pg_policy WHERE polrelid = CAST(:t AS regclass)"),
                                {"t": f"public.{q(table)}"}).scalars().all()
        for name in existing:
            if name.startswith("zs_"):
                conn.exec_driver_sql(f"DROP POLICY {q(name)} ON public.{q(table)}")
        if check is None:
            continue
        t = f"public.{q(table)}"
        conn.exec_driver_sql(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"CREATE POLICY zs_read ON {t} FOR SELECT USING (true)")
        conn.exec_driver_sql(f"CREATE POLICY zs_insert ON {t} FOR INSERT WITH CHECK ({check})")
        if table != "event":
            conn.exec_driver_sql(f"CREATE POLICY zs_update ON {t} FOR UPDATE USING ({check}) WITH CHECK ({check})")
            conn.exec_driver_sql(f"CREATE POLICY zs_delete ON {t} FOR DELETE USING ({check})")
    for name, role in conn.execute(text('SELECT name, role FROM "user"')).all():
        if role_exists(conn, name):
            grant(conn, name, role)


def installed(conn: Connection) -> bool:
    from sqlalchemy import text

    return bool(conn.execute(text(
        "SELECT 1 FROM pg_proc WHERE proname = 'zs_may_unit' AND pronamespace = 'public'::regnamespace")).first())


def role_exists(conn: Connection, name: str) -> bool:
    from sqlalchemy import text

    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first())


def is_superuser(conn: Connection, name: str) -> bool:
    from sqlalchemy import text

    return bool(conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())


def can_manage_roles(conn: Connection) -> bool:
    """Only a role that may create roles and owns the tables can set users up."""
    from sqlalchemy import text

    row = conn.execute(text(
        "SELECT r.rolsuper OR (r.rolcreaterole AND pg_has_role(current_user, c.relowner, 'USAGE')) "
        "FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'public.project'::regclass")).first()
    return bool(row and row[0])


def current_login(conn: Connection) -> str:
    from sqlalchemy import text

    return str(conn.execute(text("SELECT current_user")).scalar())


def create_login(conn: Connection, name: str, password: str | None) -> None:
    """CREATE ROLE … LOGIN [PASSWORD …]; the password travels as a literal, never in a log line."""
    from psycopg import sql

    raw = conn.connection.driver_connection
    statement = sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name))
    if password:
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
    with raw.cursor() as cur:  # type: ignore[union-attr]
        cur.execute(statement)


def set_password(conn: Connection, name: str, password: str) -> None:
    from psycopg import sql

    raw = conn.connection.driver_connection
    with raw.cursor() as cur:  # type: ignore[union-attr]
        cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))


def grant(conn: Connection, name: str, role: str) -> None:
    """Table privileges for a ledger user: everyone reads; clerks and admins write (rows as the
    policies allow); nobody updates or deletes the audit log."""
    r = q(name)
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {r}")
    conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r}")
    if role == "viewer":
        return
    tables = [t for t in _tables(conn) if t not in READ_ONLY and t not in ("event", "import_batch")]
    if tables:
        conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {', '.join('public.' + q(t) for t in tables)} TO {r}")
    conn.exec_driver_sql(f"GRANT INSERT ON public.event TO {r}")
    conn.exec_driver_sql(f"GRANT INSERT, UPDATE (status, message) ON public.import_batch TO {r}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
