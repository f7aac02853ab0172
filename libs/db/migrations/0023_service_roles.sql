-- One Postgres role per service, granted only what docs/architecture.md's table ownership says
-- it owns (read and write) or reads. Whoever runs the migrations (hookstream_owner in
-- production, see docs/security.md) owns every table and function; the services never do.
--
-- Roles are cluster-wide and are made NOLOGIN here: an operator gives each one a login
-- (ALTER ROLE … LOGIN PASSWORD …, or GRANT hookstream_gateway TO a login role). Several
-- databases of one cluster (tests) share them, hence the tolerant creation.

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['hookstream_gateway', 'hookstream_registry', 'hookstream_dispatcher',
                           'hookstream_retry_scheduler', 'hookstream_dlq_inspector'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- another database's migration made it at the same moment
      END;
    END IF;
  END LOOP;
END $$;

-- What each service owns: read and write (no TRUNCATE, no DDL).
GRANT SELECT, INSERT, UPDATE, DELETE ON events, event_keys, incoming_webhooks, integration_configs
  TO hookstream_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, api_keys, event_types, subscriptions, subscription_secrets,
  subscription_health, subscription_disabled_events
  TO hookstream_registry;
GRANT SELECT, INSERT, UPDATE, DELETE ON deliveries, delivery_attempts, delivery_leases, fanout_jobs,
  endpoint_health_buckets
  TO hookstream_dispatcher;
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_retries
  TO hookstream_retry_scheduler;
GRANT SELECT, INSERT, UPDATE, DELETE ON dead_letters, replays, replay_jobs, quarantined_messages,
  quarantine_redrives
  TO hookstream_dlq_inspector;

-- What each reads of others' tables.
-- tenants holds limits, quotas and retention, no secrets: every service applies them.
GRANT SELECT ON tenants TO hookstream_gateway, hookstream_dispatcher, hookstream_retry_scheduler, hookstream_dlq_inspector;
-- The gateway validates against the tenant's catalog.
GRANT SELECT ON event_types TO hookstream_gateway;
-- Services with tenant routes verify keys: the columns that takes, never names or owners.
GRANT SELECT (id, tenant_id, scope, scopes, key_hash, revoked_at, expires_at) ON api_keys
  TO hookstream_gateway, hookstream_dlq_inspector;
-- The registry counts a tenant's replay jobs for its quota view.
GRANT SELECT ON replay_jobs TO hookstream_registry;
-- The dlq-inspector shows delivery history, replays what it finds there, and names subscriptions.
GRANT SELECT ON deliveries, delivery_attempts, endpoint_health_buckets, events, scheduled_retries
  TO hookstream_dlq_inspector;
-- Not headers or metadata: tenants put credentials for their receivers there.
GRANT SELECT (id, tenant_id, name, description, url, event_types, enabled, disabled_reason, retry_policy,
  timeout_ms, version, created_at, updated_at, deleted_at) ON subscriptions TO hookstream_dlq_inspector;

-- Partition DDL needs the parent's owner. The owning service asks for exactly three things, each
-- limited to its own table and to day-partition names; it cannot run any other DDL.
CREATE FUNCTION hookstream_partition_column(p_table text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_table = 'events' AND pg_has_role(session_user, 'hookstream_gateway', 'USAGE') THEN
    RETURN 'received_at';
  ELSIF p_table = 'delivery_attempts' AND pg_has_role(session_user, 'hookstream_dispatcher', 'USAGE') THEN
    RETURN 'started_at';
  END IF;
  RAISE EXCEPTION 'role % may not manage partitions of %', session_user, p_table USING ERRCODE = '42501';
END $$;

CREATE FUNCTION hookstream_partition_grantee(p_table text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_table WHEN 'events' THEN 'hookstream_gateway' WHEN 'delivery_attempts' THEN 'hookstream_dispatcher' END
$$;

-- One day's partition, created detached, filled from the default partition, then attached (a
-- weaker lock on the parent than CREATE … PARTITION OF). The caller holds the table's advisory
-- lock and sets the lock timeout in its transaction. Returns the rows moved.
CREATE FUNCTION hookstream_add_day_partition(p_table text, p_day date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  col text := hookstream_partition_column(p_table);
  part text := format('%s_p%s', p_table, to_char(p_day, 'YYYYMMDD'));
  lo timestamptz := p_day::timestamp AT TIME ZONE 'UTC';
  hi timestamptz := (p_day + 1)::timestamp AT TIME ZONE 'UTC';
  moved integer;
BEGIN
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, p_table);
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *),
                       kept AS (INSERT INTO %I SELECT * FROM moved RETURNING 1)
                  SELECT count(*)::int FROM kept', p_table || '_default', col, col, part)
    INTO moved USING lo, hi;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_table, part, lo, hi);
  -- Retention deletes from single partitions by name.
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', part, hookstream_partition_grantee(p_table));
  RETURN moved;
END $$;

-- The caller may manage p_table's partitions, and p_name is one of its day tables.
CREATE FUNCTION hookstream_check_day_table(p_table text, p_name text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM hookstream_partition_column(p_table);
  IF p_name !~ ('^' || p_table || '_p[0-9]{8}$') THEN
    RAISE EXCEPTION '% is not a day table of %', p_name, p_table USING ERRCODE = '42501';
  END IF;
END $$;

-- Detaches one day partition: the partition is locked first, so a long read of old data is waited
-- for without holding the parent. The caller holds the advisory lock and the lock timeout.
CREATE FUNCTION hookstream_detach_day_partition(p_table text, p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM hookstream_check_day_table(p_table, p_name);
  EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', p_name);
  EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_table, p_name);
END $$;

-- Drops a day table of p_table that is no longer attached (detached by the function above).
CREATE FUNCTION hookstream_drop_detached_day_table(p_table text, p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM hookstream_check_day_table(p_table, p_name);
  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = p_name AND relnamespace = 'public'::regnamespace AND relispartition) THEN
    RAISE EXCEPTION '% is still attached; detach it first', p_name USING ERRCODE = '55000';
  END IF;
  EXECUTE format('DROP TABLE IF EXISTS %I', p_name);
END $$;

REVOKE ALL ON FUNCTION hookstream_partition_column(text), hookstream_check_day_table(text, text), hookstream_add_day_partition(text, date),
  hookstream_detach_day_partition(text, text), hookstream_drop_detached_day_table(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookstream_partition_column(text), hookstream_check_day_table(text, text), hookstream_add_day_partition(text, date),
  hookstream_detach_day_partition(text, text), hookstream_drop_detached_day_table(text, text)
  TO hookstream_gateway, hookstream_dispatcher;

-- The partitions that exist already, the default ones included.
DO $$
DECLARE
  p record;
BEGIN
  FOR p IN SELECT c.relname AS part, pc.relname AS parent
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class pc ON pc.oid = i.inhparent
            WHERE pc.relname IN ('events', 'delivery_attempts') LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', p.part, hookstream_partition_grantee(p.parent));
  END LOOP;
END $$;
