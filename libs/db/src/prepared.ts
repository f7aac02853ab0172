import type { Queryable } from './sql.js';

/**
 * A statement with a fixed text, which each connection prepares (parses and plans) once under
 * `name` and then runs with new values: Postgres settles on a generic plan after a few runs
 * instead of planning every call. Measured in hostile_tenant: planning took more of Postgres's
 * time on our statements than executing them (6.6 s against 5.1 s in the 60 s attack), most of
 * it on the few fixed texts run once per batch.
 *
 * A connection keeps the generic plan it made first; plans made while a table was small keep
 * scanning it whole after it grows. So connections are replaced after
 * DATABASE_CONNECTION_MAX_AGE_S (db.module.ts), and a statement on a table whose size swings
 * (delivery_leases) should be shaped so that its worst plan still reads each table once.
 *
 * Only for texts that never change (rows go through unnest arrays or one jsonb_to_recordset array, not VALUES lists of varying
 * length): each name stays prepared on every pooled connection. Between us and Postgres this
 * needs session pooling, or PgBouncer 1.21 or later with `max_prepared_statements` set.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Sent at connect (libpq `options`): named prepared statements, which are only ours, always run
 * on their generic plan. Under the default (auto), Postgres kept planning the `id = ANY($1)`
 * ones on every call, judging a plan that knows the array's length worth the planning; for a
 * primary-key lookup it is the same plan. Unnamed statements are planned per call as before.
 */
export const GENERIC_PLANS_OPTION = '-c plan_cache_mode=force_generic_plan';

export function preparedStatement(name: string, text: string): PreparedStatement {
  return Object.freeze({ name: `hs_${name}`, text });
}

/**
 * Runs a prepared statement through TypeORM's `query` (a DataSource, or an EntityManager inside
 * a transaction, whose connection it then uses). TypeORM hands its first argument to
 * node-postgres unchanged, and node-postgres takes a `{ name, text }` config there; the result
 * keeps TypeORM's shape (rows, or `[rows, count]` for UPDATE and DELETE). test/integration/prepared-statements.int-spec.ts
 * holds both to it.
 */
export async function queryPrepared<T>(db: Queryable, statement: PreparedStatement, values: unknown[]): Promise<T> {
  return (await db.query(statement as unknown as string, values)) as T;
}
