-- Live monitoring (issue 5 §6): every change of the monitoring aggregates (migration 016) reaches
-- the open dashboards of every server instance on this database, through NOTIFY motcua_monitoring
-- (src/monitoring/live.ts). No writer's code knows about it: statement-level triggers on the
-- tables every writer moves (dossier actions and submissions in the action's own statement,
-- imports and the simulator in bulk, the rebuild) note the units they touched.
--
-- The triggers do not NOTIFY themselves. PostgreSQL serialises the commits of transactions that
-- NOTIFY (a database-wide lock held until the commit record is flushed, so that notices queue in
-- commit order): every dossier action would wait for the previous one's fsync, a ceiling of a few
-- hundred actions per second on an ordinary disk (measured by bench/live-notify.ts). Instead an
-- action appends the units to monitoring_changes (an outbox: an insert, no lock shared with other
-- actions), and each server instance's LISTEN connection relays it every 100 ms with
-- motcua_monitoring_relay(): it empties the outbox and NOTIFYs once, with synchronous_commit off
-- so that the lock is held for a moment only. A change is relayed after its transaction commits
-- (the relay only sees committed rows), so a listener that reads after the notice sees it; a
-- rolled-back action announces nothing.

CREATE UNLOGGED TABLE monitoring_changes (
  unit_code   text,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE monitoring_changes IS 'Outbox of live monitoring: units whose aggregates changed since the last relay (NULL unit = everything, e.g. after a rebuild). Emptied every 100 ms by motcua_monitoring_relay(). Unlogged and without a key on purpose: inserts only, emptied whole; lost in a crash, after which listeners reconnect and tell every dashboard to re-read.';

CREATE FUNCTION motcua_monitoring_note_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    INSERT INTO monitoring_changes (unit_code) VALUES (NULL);
  ELSE
    -- "changed" is the transition table: the rows this statement inserted or updated (none for
    -- the insert half of an upsert that only updated).
    INSERT INTO monitoring_changes (unit_code) SELECT DISTINCT unit_code FROM changed;
  END IF;
  RETURN NULL;
END;
$$;
COMMENT ON FUNCTION motcua_monitoring_note_change() IS 'Statement trigger on the monitoring aggregates: appends the unit codes the statement changed to monitoring_changes (NULL for a delete: everything).';

-- A trigger with a transition table may have only one event: one trigger per event.
-- monitoring_daily_field is always written together with monitoring_daily: no trigger of its own.
CREATE TRIGGER monitoring_daily_note_insert
  AFTER INSERT ON monitoring_daily REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();
CREATE TRIGGER monitoring_daily_note_update
  AFTER UPDATE ON monitoring_daily REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();
CREATE TRIGGER monitoring_daily_note_delete
  AFTER DELETE OR TRUNCATE ON monitoring_daily
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();
CREATE TRIGGER monitoring_open_note_insert
  AFTER INSERT ON monitoring_open REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();
CREATE TRIGGER monitoring_open_note_update
  AFTER UPDATE ON monitoring_open REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();
CREATE TRIGGER monitoring_open_note_delete
  AFTER DELETE OR TRUNCATE ON monitoring_open
  FOR EACH STATEMENT EXECUTE FUNCTION motcua_monitoring_note_change();

-- Empties the outbox and NOTIFYs what was in it; returns the payload (NULL when it was empty).
-- Payload: {"units": [unit codes, sorted], "at": "<latest change's transaction start, UTC>"}, or
-- {"all": true, "at": ...} after a delete (the rebuild) or when the list would not fit in a NOTIFY
-- payload (< 8000 bytes: bulk writes over hundreds of units). Several instances may call it at
-- once: each row is taken by one of them.
CREATE FUNCTION motcua_monitoring_relay() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  units text[];
  everything boolean;
  latest timestamptz;
  at text;
  payload text;
BEGIN
  WITH gone AS (DELETE FROM monitoring_changes RETURNING unit_code, changed_at)
  SELECT array_agg(DISTINCT unit_code ORDER BY unit_code) FILTER (WHERE unit_code IS NOT NULL),
         bool_or(unit_code IS NULL), max(changed_at)
    INTO units, everything, latest
    FROM gone;
  IF latest IS NULL THEN
    RETURN NULL;
  END IF;
  at := to_char(latest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  payload := CASE WHEN everything THEN NULL ELSE json_build_object('units', to_json(units), 'at', at)::text END;
  IF payload IS NULL OR octet_length(payload) >= 8000 THEN
    payload := json_build_object('all', true, 'at', at)::text;
  END IF;
  PERFORM pg_notify('motcua_monitoring', payload);
  RETURN payload;
END;
$$;
COMMENT ON FUNCTION motcua_monitoring_relay() IS 'Empties monitoring_changes and NOTIFYs motcua_monitoring with the units in it (or "all"); returns the payload, NULL when there was nothing. Called by every server instance every 100 ms (src/monitoring/live.ts).';
