"""PostgreSQL ledgers for the tests: per xdist worker, a migrated template database and one working
database that is put back to the template's state after every test.

Putting it back costs ~15 ms: DELETE every table (children first), re-insert what the migrations
seeded, reset the sequences. Measured against the alternatives on this 2-core machine: CREATE
DATABASE … TEMPLATE 0.04–0.9 s (it copies ~8 MB of catalogs through the WAL, slow under load) plus
DROP DATABASE 0.1–1.5 s; TRUNCATE … RESTART IDENTITY of all tables ~0.12 s.

A test may also change more than rows. Policies, row-level security and functions that `zs users`
installs are undone, and login roles a test left behind with grants here are dropped (never a role
that existed when the worker started, never a superuser). Anything else a catalog fingerprint
catches (a downgrade, a new column …) makes the working database be dropped and copied again.

Names: zs_t_<run>_<worker>_tpl and zs_t_<run>_<worker>_w, so parallel runs on one server never meet;
both are dropped when the worker ends. The server's own database (ZS_TEST_PG_URL) is only used to
create and drop them.
"""

from __future__ import annotations

from typing import Any

# What a test may change beside rows: tables, columns, indexes, grants (other than the owner's own,
# which PostgreSQL writes out once anything was granted), RLS, policies, functions, triggers, constraints.
FINGERPRINT = """
SELECT md5(concat_ws('|',
  (SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.relrowsecurity::text
                     || c.relforcerowsecurity::text || ':' || coalesce(
                       (SELECT string_agg(a.grantee::text || a.privilege_type, ',' ORDER BY 1)
                          FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner), ''),
                     ',' ORDER BY c.relname)
     FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace),
  (SELECT string_agg(a.attrelid::regclass::text || '.' || a.attname || ':' || a.atttypid::text
                     || a.attnotnull::text, ',' ORDER BY a.attrelid, a.attnum)
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT string_agg(p.polname || '@' || p.polrelid::regclass::text, ',' ORDER BY 1) FROM pg_policy p),
  (SELECT string_agg(p.proname, ',' ORDER BY 1) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace),
  (SELECT string_agg(t.tgname, ',' ORDER BY 1) FROM pg_trigger t WHERE NOT t.tgisinternal),
  (SELECT string_agg(k.conname, ',' ORDER BY 1) FROM pg_constraint k
    WHERE k.connamespace = 'public'::regnamespace),
  (SELECT string_agg(a.grantee::text || a.privilege_type, ',' ORDER BY 1)
     FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database() AND a.grantee <> d.datdba),
  (SELECT string_agg(a.grantee::text || a.privilege_type, ',' ORDER BY 1)
     FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee <> n.nspowner)
))
"""


class PgServer:
    """The test server as one worker sees it."""

    def __init__(self, url: str, prefix: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        from zhaoshang.db.engine import dispose_all
        from zhaoshang.db.ops import init_ledger

        self.url = make_url(url)
        self.prefix = prefix
        self.template = f"{prefix}_tpl"
        self.work = f"{prefix}_w"
        self.admin = psycopg.connect(self.dsn(self.url.database), autocommit=True, connect_timeout=5)
        self.roles_before = {r[0] for r in self.admin.execute("SELECT rolname FROM pg_roles")}
        for name in (self.work, self.template):
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.template}"')
        init_ledger(self.url_of(self.template))
        dispose_all()
        self._snapshot()
        self.admin.execute(f'CREATE DATABASE "{self.work}" TEMPLATE "{self.template}"')
        self.conn: Any = None

    # ----------------------------------------------------------------- names

    def dsn(self, database: str | None) -> str:
        """A libpq URL for psycopg (no +psycopg driver suffix)."""
        return self.url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)

    def url_of(self, database: str) -> str:
        """The URL `zs --db` takes."""
        return self.url.set(database=database).render_as_string(hide_password=False)

    # ----------------------------------------------------------------- template state

    def _snapshot(self) -> None:
        """Remember the template's tables (children first), seeded rows, sequences and fingerprint."""
        import psycopg

        with psycopg.connect(self.dsn(self.template), autocommit=True) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
            edges = conn.execute(
                "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
                "WHERE contype = 'f' AND connamespace = 'public'::regnamespace").fetchall()
            self.tables = _children_first(tables, edges)
            self.rows = {}
            for table in self.tables:
                rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
                if rows:
                    self.rows[table] = rows
            self.sequences = conn.execute(
                "SELECT schemaname || '.' || sequencename, coalesce(last_value, start_value), "
                "last_value IS NOT NULL FROM pg_sequences WHERE schemaname = 'public'").fetchall()
            self.fingerprint = conn.execute(FINGERPRINT).fetchone()[0]
            self.functions = {r[0] for r in conn.execute(
                "SELECT oid::regprocedure::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace")}

    # ----------------------------------------------------------------- per test

    def ledger(self) -> str:
        return self.url_of(self.work)

    def reset(self) -> None:
        """Put the working database back to the template's state (call after dispose_all())."""
        import psycopg

        if self.conn is None or self.conn.closed:
            self.conn = psycopg.connect(self.dsn(self.work), autocommit=True)
        try:
            same = self.conn.execute(FINGERPRINT).fetchone()[0] == self.fingerprint
            if not same:  # roles, grants and policies from `zs users`: undo them rather than copy again
                self._undo_security()
                same = self.conn.execute(FINGERPRINT).fetchone()[0] == self.fingerprint
        except psycopg.Error:
            same = False
        if same:
            try:
                self._delete_and_reseed()
                return
            except psycopg.Error:
                pass
        self._recreate()

    def _undo_security(self) -> None:
        """Drop the login roles a test left with grants here, the policies, RLS and functions."""
        leaked = self.conn.execute(
            "SELECT DISTINCT a.grantee::regrole::text FROM pg_class c, aclexplode(c.relacl) a "
            "WHERE c.relnamespace = 'public'::regnamespace AND a.grantee NOT IN (0, c.relowner) "
            "UNION SELECT DISTINCT a.grantee::regrole::text FROM pg_namespace n, aclexplode(n.nspacl) a "
            "WHERE n.nspname = 'public' AND a.grantee <> 0 AND a.grantee <> n.nspowner "
            "AND a.grantee <> 'pg_database_owner'::regrole").fetchall()
        for (role,) in leaked:
            self.conn.execute(f"DROP OWNED BY {role}")
            name = role.strip('"').replace('""', '"')
            superuser = self.conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            if name not in self.roles_before and superuser == (False,):
                self.conn.execute(f"DROP ROLE IF EXISTS {role}")
        policies = self.conn.execute(
            "SELECT polname, polrelid::regclass::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
            "WHERE c.relnamespace = 'public'::regnamespace").fetchall()
        for name, table in policies:
            self.conn.execute(f'DROP POLICY "{name}" ON {table}')
        for (table,) in self.conn.execute(
                "SELECT oid::regclass::text FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                "AND (relrowsecurity OR relforcerowsecurity)").fetchall():
            self.conn.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY")
        for (function,) in self.conn.execute(
                "SELECT oid::regprocedure::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace").fetchall():
            if function not in self.functions:  # the migrations' own (audit triggers) stay
                self.conn.execute(f"DROP FUNCTION {function}")

    def _delete_and_reseed(self) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")  # no audit triggers while resetting
            cur.execute("; ".join(f'DELETE FROM "{t}"' for t in self.tables))
            for table, rows in self.rows.items():
                marks = ", ".join(["%s"] * len(rows[0]))
                cur.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
            for name, value, called in self.sequences:
                cur.execute("SELECT setval(%s, %s, %s)", (name, value, called))

    def _recreate(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.work}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.work}" TEMPLATE "{self.template}"')

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        for name in (self.work, self.template):
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


def _children_first(tables: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """Tables ordered so that every table comes before the tables it references."""
    refs = {t: {parent.strip('"') for child, parent in edges if child.strip('"') == t and parent.strip('"') != t}
            for t in tables}
    order: list[str] = []
    done: set[str] = set()

    def visit(table: str) -> None:
        if table in done:
            return
        done.add(table)
        for child in tables:
            if table in refs[child]:
                visit(child)
        order.append(table)

    for table in tables:
        visit(table)
    return order

