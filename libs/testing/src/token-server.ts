import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from './receiver.js';

export interface TokenRequestRecord {
  grantType: string | null;
  clientId: string | null;
  scope: string | null;
  audience: string | null;
  /** How the client authenticated: HTTP Basic, or id and secret in the form. */
  via: 'basic' | 'body' | 'none';
  at: number;
}

/**
 * An OAuth 2.0 token endpoint on loopback (RFC 6749 §4.4, client credentials): it knows one client,
 * issues opaque bearer tokens that live `expiresIn` seconds, can revoke them early, and records
 * every request. `accepts(authorization)` is the check a receiver enforcing its tokens makes.
 */
export class TestTokenServer {
  readonly requests: TokenRequestRecord[] = [];
  /** Issued tokens and when they stop being valid (ms since epoch). */
  private readonly tokens = new Map<string, number>();
  private server: Server | null = null;
  expiresIn: number | null = 3600;
  /** When set, every token request is answered with this status and body (an outage, a refusal). */
  failWith: { status: number; body: string } | null = null;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async start(clientId = 'hookstream-test', clientSecret = randomBytes(16).toString('hex')): Promise<TestTokenServer> {
    const s = new TestTokenServer(clientId, clientSecret);
    await s.listen();
    return s;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('token server not listening');
    return `http://127.0.0.1:${addr.port}/oauth/token`;
  }

  /** Whether an `Authorization` header carries a token this server issued and has not revoked. */
  accepts(authorization: string | string[] | undefined): boolean {
    const token = typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : null;
    const until = token === null ? undefined : this.tokens.get(token);
    return until !== undefined && until > Date.now();
  }

  /** Every token issued so far stops being valid (a rotation at the partner). */
  revokeAll(): void {
    this.tokens.clear();
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        let id: string | null = null;
        let secret: string | null = null;
        let via: TokenRequestRecord['via'] = 'none';
        if (basic) {
          // RFC 6749 §2.3.1: both parts are form-encoded inside Basic.
          const [u, p] = Buffer.from(basic, 'base64').toString('utf8').split(':');
          id = decodeURIComponent((u ?? '').replaceAll('+', ' '));
          secret = decodeURIComponent((p ?? '').replaceAll('+', ' '));
          via = 'basic';
        } else if (form.has('client_id')) {
          id = form.get('client_id');
          secret = form.get('client_secret');
          via = 'body';
        }
        this.requests.push({ grantType: form.get('grant_type'), clientId: id, scope: form.get('scope'), audience: form.get('audience'), via, at: Date.now() });
        const answer = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(typeof body === 'string' ? body : JSON.stringify(body));
        };
        if (this.failWith) return answer(this.failWith.status, this.failWith.body);
        if (form.get('grant_type') !== 'client_credentials') return answer(400, { error: 'unsupported_grant_type' });
        if (id !== this.clientId || secret !== this.clientSecret) return answer(401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' });
        const token = randomBytes(24).toString('base64url');
        this.tokens.set(token, Date.now() + (this.expiresIn ?? 3600) * 1000);
        return answer(200, { access_token: token, token_type: 'Bearer', ...(this.expiresIn === null ? {} : { expires_in: this.expiresIn }) });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await closeServer(server);
  }
}
