import pg from 'pg';

/**
 * The Postgres role each service runs as (migration 0023 creates them and grants each only the
 * tables docs/architecture.md says it owns or reads). Migrations run as the owner of the
 * database; no service owns a table.
 */
export const SERVICE_DB_ROLES = {
  'ingress-gateway': 'hookstream_gateway',
  'subscription-registry': 'hookstream_registry',
  dispatcher: 'hookstream_dispatcher',
  'retry-scheduler': 'hookstream_retry_scheduler',
  'dlq-inspector': 'hookstream_dlq_inspector',
} as const;

export type DbService = keyof typeof SERVICE_DB_ROLES;

/** The same database as `ownerUrl`, connected to as the service's role (no password: see below). */
export function serviceDatabaseUrl(ownerUrl: string, service: DbService): string {
  const url = new URL(ownerUrl);
  url.username = SERVICE_DB_ROLES[service];
  url.password = '';
  return url.toString();
}

/**
 * For a developer's machine and the tests, whose Postgres trusts local connections: lets the
 * service roles log in, with `password` when the server asks for one (compose). Production
 * gives each role its own password, or grants it to a login role, as docs/security.md says;
 * this is never run there. Needs a role allowed to alter roles (the local superuser).
 */
export async function allowLocalServiceLogins(adminUrl: string, password?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const role of Object.values(SERVICE_DB_ROLES)) {
      if (password === undefined && (await canLogIn(client, role))) continue;
      const login = password === undefined ? 'LOGIN' : `LOGIN PASSWORD ${client.escapeLiteral(password)}`;
      try {
        await client.query(`ALTER ROLE ${client.escapeIdentifier(role)} ${login}`);
      } catch (err) {
        // Test files starting at once alter the same (cluster-wide) role: one of them wins.
        if (!(await canLogIn(client, role))) throw err;
      }
    }
  } finally {
    await client.end();
  }
}

async function canLogIn(client: pg.Client, role: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>('SELECT rolcanlogin AS ok FROM pg_roles WHERE rolname = $1', [role]);
  return rows[0]?.ok ?? false;
}

/**
 * The key of the Kubernetes Secret `hookstream-secrets` that holds the service's DATABASE_URL
 * (its own role's login); `DATABASE_URL_OWNER` is the migrations'.
 */
export function databaseUrlSecretKey(service: DbService): string {
  return `DATABASE_URL_${SERVICE_DB_ROLES[service].replace(/^hookstream_/, '').toUpperCase()}`;
}
