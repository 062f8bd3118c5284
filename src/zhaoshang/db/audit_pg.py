"""PostgreSQL keeps the audit itself: triggers that write the event a change lacks, the chain's seal,
and the writers' locks.

- Every table of `chain.AUDITED` has a deferred trigger: when a transaction commits, each row it
  inserted, changed or deleted must have its event written by the same transaction (zs writes its
  own, richer ones: the file and row, the reason). A change made with plain SQL has none, so the
  trigger writes it: the actor is the login (for the owner, the actor zs passed), the time the
  transaction's, the source the zs context passed in the transaction-local setting `zs.context`,
  else "sql".
- Every event gets its digest as it is written (`zs_digest`, into `event_seal`). At commit, after
  the audit triggers, one deferred trigger (`zs_seal`, queued last through `event_block_request`)
  takes the chain's lock and appends the transaction's block to `event_block`: the lock is held
  from then to the end of the commit, not while the transaction works.
- `zs_writer_lock()`: a clerk's writer takes the ledger's lock shared and each of its units' locks
  (in unit order, so two writers never wait on each other in a circle); anyone else takes the
  ledger's lock alone, as every writer did before. Clerks of different units no longer queue.

`install(conn)` is idempotent; `zs init` and `zs db upgrade` run it, so a table added to AUDITED gets
its trigger once its migration has run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhaoshang.db.chain import AUDITED

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

WRITE_LOCK_KEY = 0x7A73_6C65_6467_6572  # "zsledger", as db/engine.py
UNIT_LOCK_SPACE = 0x7A73  # pg_advisory_xact_lock(UNIT_LOCK_SPACE, unit id)
CHAIN_LOCK_KEY = 0x7A73_6368_6169_6E00  # "zschain"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION public.zs_context() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT CAST(nullif(current_setting('zs.context', true), '') AS jsonb)
$$;
CREATE OR REPLACE FUNCTION public.zs_event_actor() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN EXISTS (SELECT 1 FROM public."user" z WHERE z.name = session_user) THEN session_user::text
              ELSE coalesce(public.zs_context()->>'actor', session_user::text) END
$$;
CREATE OR REPLACE FUNCTION public.zs_event_source() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(public.zs_context()->>'source',
                  'sql' || coalesce(' (' || nullif(current_setting('application_name', true), '') || ')', ''))
$$;
CREATE OR REPLACE FUNCTION public.zs_row_json(r jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT '{{' || coalesce(string_agg(to_json(key)::text || ': ' || value::text, ', ' ORDER BY key COLLATE "C"), '')
         || '}}' FROM jsonb_each(r)
$$;
CREATE OR REPLACE FUNCTION public.zs_sha(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex')
$$;
CREATE OR REPLACE FUNCTION public.zs_event_json(e public.event) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT '{{"actor": ' || to_json(e.actor)::text
      || ', "at": ' || to_json(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'))::text
      || ', "entity": ' || to_json(e.entity)::text
      || ', "entity_id": ' || e.entity_id::text
      || ', "field": ' || coalesce(to_json(e.field)::text, 'null')
      || ', "id": ' || e.id::text
      || ', "new": ' || coalesce(to_json(e.new)::text, 'null')
      || ', "old": ' || coalesce(to_json(e.old)::text, 'null')
      || ', "project_id": ' || coalesce(e.project_id::text, 'null')
      || ', "source": ' || to_json(e.source)::text || '}}'
$$;
CREATE OR REPLACE FUNCTION public.zs_digest_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO public.event_seal (event_id, txn, digest)
  VALUES (NEW.id, CAST(CAST(pg_current_xact_id() AS text) AS bigint), public.zs_sha(public.zs_event_json(NEW)));
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION public.zs_request_block() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('zs.block', true) = 'pending' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('zs.block', 'pending', true);
  INSERT INTO public.event_block_request (txn) VALUES (NEW.txn) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION public.zs_seal_block() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  content text;
  head text;
BEGIN
  PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
  SELECT public.zs_sha(string_agg(s.digest, E'\n' ORDER BY s.event_id)) INTO content
    FROM public.event_seal s WHERE s.txn = NEW.txn;
  SELECT b.prev INTO head FROM public.event_block b WHERE b.txn = NEW.txn;
  IF FOUND THEN  -- events the audit triggers wrote after the block was sealed: the lock is still ours
    UPDATE public.event_block SET hash = public.zs_sha(coalesce(head, '') || content) WHERE txn = NEW.txn;
  ELSE
    SELECT b.hash INTO head FROM public.event_block b ORDER BY b.seq DESC LIMIT 1;
    INSERT INTO public.event_block (txn, prev, hash)
    VALUES (NEW.txn, head, public.zs_sha(coalesce(head, '') || content));
  END IF;
  DELETE FROM public.event_block_request WHERE txn = NEW.txn;
  PERFORM set_config('zs.block', 'sealed', true);
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION public.zs_audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  r jsonb;
  o jsonb;
  ident integer;
  pid integer;
  col text;
  who text := public.zs_event_actor();
  src text := public.zs_event_source();
BEGIN
  IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
  IF TG_OP = 'UPDATE' THEN o := to_jsonb(OLD); END IF;
  IF TG_ARGV[0] = 'key' THEN  -- settings: entity_id 0, the key in field, the value in old/new
    IF TG_OP = 'UPDATE' AND o->>'value' IS NOT DISTINCT FROM r->>'value' THEN
      RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.event e WHERE e.entity = TG_TABLE_NAME AND e.entity_id = 0
                   AND e.field = r->>'key' AND e.xmin = CAST(pg_current_xact_id() AS xid)) THEN
      INSERT INTO public.event (entity, entity_id, project_id, at, actor, source, field, old, new)
      VALUES (TG_TABLE_NAME, 0, NULL, now(), who, src, r->>'key',
              CASE TG_OP WHEN 'INSERT' THEN NULL WHEN 'DELETE' THEN r->>'value' ELSE o->>'value' END,
              CASE TG_OP WHEN 'DELETE' THEN NULL ELSE r->>'value' END);
    END IF;
    RETURN NULL;
  END IF;
  ident := CAST(r->>'id' AS integer);
  pid := CASE WHEN TG_TABLE_NAME = 'project' THEN ident ELSE CAST(r->>'project_id' AS integer) END;
  IF TG_OP <> 'UPDATE' THEN
    IF EXISTS (SELECT 1 FROM public.event e WHERE e.entity = TG_TABLE_NAME AND e.entity_id = ident
               AND e.field IS NULL AND e.xmin = CAST(pg_current_xact_id() AS xid))
       OR (TG_OP = 'INSERT' AND TG_TABLE_NAME = 'milestone' AND EXISTS (
           SELECT 1 FROM public.event e WHERE e.entity = 'project' AND e.entity_id = pid AND e.field IS NULL
              AND e.old IS NULL AND e.xmin = CAST(pg_current_xact_id() AS xid)
              AND strpos(e.new, '"milestones"') > 0)) THEN
      RETURN NULL;  -- zs wrote it (an import's project event carries its milestones)
    END IF;
    INSERT INTO public.event (entity, entity_id, project_id, at, actor, source, field, old, new)
    VALUES (TG_TABLE_NAME, ident, pid, now(), who, src, NULL,
            CASE WHEN TG_OP = 'DELETE' THEN public.zs_row_json(r) END,
            CASE WHEN TG_OP = 'INSERT' THEN public.zs_row_json(r) END);
    RETURN NULL;
  END IF;
  FOR col IN SELECT key FROM jsonb_each(r) WHERE key NOT IN ('updated_at') AND (o->key) IS DISTINCT FROM (r->key)
             ORDER BY key LOOP
    IF NOT EXISTS (SELECT 1 FROM public.event e WHERE e.entity = TG_TABLE_NAME AND e.entity_id = ident
                   AND e.field = col AND e.xmin = CAST(pg_current_xact_id() AS xid)) THEN
      INSERT INTO public.event (entity, entity_id, project_id, at, actor, source, field, old, new)
      VALUES (TG_TABLE_NAME, ident, pid, now(), who, src, col, o->>col, r->>col);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION public.zs_writer_lock() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  u integer;
BEGIN
  IF EXISTS (SELECT 1 FROM public."user" z WHERE z.name = session_user AND z.role = 'clerk') THEN
    PERFORM pg_advisory_xact_lock_shared({WRITE_LOCK_KEY});
    FOR u IN SELECT g.unit_id FROM public.user_unit g JOIN public."user" z ON z.id = g.user_id
              WHERE z.name = session_user ORDER BY g.unit_id LOOP
      PERFORM pg_advisory_xact_lock({UNIT_LOCK_SPACE}, u);
    END LOOP;
  ELSE
    PERFORM pg_advisory_xact_lock({WRITE_LOCK_KEY});
  END IF;
END
$$;
"""

# The writer's lock, taken first thing in every writing transaction (a ledger not yet migrated to
# the audit chain has no zs_writer_lock: one lock for every writer, as before).
BEGIN_WRITE = f"""DO $$ BEGIN
  IF to_regprocedure('public.zs_writer_lock()') IS NULL THEN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK_KEY});
  ELSE
    PERFORM public.zs_writer_lock();
  END IF;
END $$"""


def _exists(conn: Connection, table: str) -> bool:
    from sqlalchemy import text

    return conn.execute(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": f"public.{table}"}).scalar() is True


def install(conn: Connection) -> None:
    """Create or refresh the functions and triggers (PostgreSQL only; idempotent)."""
    if conn.dialect.name != "postgresql" or not _exists(conn, "event_block_request"):
        return
    conn.exec_driver_sql(FUNCTIONS)
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS zs_digest ON public.event")
    conn.exec_driver_sql("CREATE TRIGGER zs_digest AFTER INSERT ON public.event "
                         "FOR EACH ROW EXECUTE FUNCTION public.zs_digest_event()")
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS zs_request ON public.event_seal")
    conn.exec_driver_sql("CREATE CONSTRAINT TRIGGER zs_request AFTER INSERT ON public.event_seal "
                         "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.zs_request_block()")
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS zs_seal ON public.event_block_request")
    conn.exec_driver_sql("CREATE CONSTRAINT TRIGGER zs_seal AFTER INSERT ON public.event_block_request "
                         "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.zs_seal_block()")
    for table, key in AUDITED.items():
        if not _exists(conn, table):
            continue
        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS zs_audit ON public."{table}"')
        conn.exec_driver_sql(
            f'CREATE CONSTRAINT TRIGGER zs_audit AFTER INSERT OR UPDATE OR DELETE ON public."{table}" '
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.zs_audit_row('{key}')")
