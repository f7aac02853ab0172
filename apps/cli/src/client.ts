/** The service answered with an error: `{ code, message, details }` from the platform's error filter. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

/** The service could not be reached at all (down, wrong URL, refused). */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

export type Service = 'dlq-inspector' | 'subscription-registry';

export interface Request {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  idempotencyKey?: string;
}

/** JSON over HTTP to the services, with the API key; errors become ApiError or UnreachableError. */
export class ApiClient {
  constructor(
    private readonly urls: Record<Service, string>,
    private readonly apiKey: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(service: Service, req: Request): Promise<T> {
    const url = new URL(`${this.urls[service]}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
    let res: Response;
    try {
      res = await fetch(url, {
        method: req.method,
        headers,
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new UnreachableError(`cannot reach the ${service} at ${this.urls[service]} (${why})`);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the message
    }
    if (res.ok) return body as T;
    const e = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; details?: unknown };
    throw new ApiError(
      res.status,
      typeof e.code === 'string' ? e.code : `http_${res.status}`,
      typeof e.message === 'string' ? e.message : `${service} answered ${res.status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`,
      e.details ?? null,
    );
  }

  /**
   * Opens a Server-Sent Events stream and hands each chunk of text to `onText` until the server
   * ends it or `signal` aborts; resolves then. Errors before the stream opens are as for call().
   */
  async stream(service: Service, req: Omit<Request, 'method' | 'body' | 'idempotencyKey'>, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
    const url = new URL(`${this.urls[service]}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${this.apiKey}`, accept: 'text/event-stream' }, signal });
    } catch (err) {
      if (signal.aborted) return;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new UnreachableError(`cannot reach the ${service} at ${this.urls[service]} (${cause?.code ?? cause?.message ?? (err as Error).message})`);
    }
    if (!res.ok || !res.body) {
      const text = await res.text();
      let e: { code?: unknown; message?: unknown; details?: unknown } = {};
      try {
        e = JSON.parse(text) as typeof e;
      } catch {
        // not JSON: the status says enough
      }
      throw new ApiError(res.status, typeof e.code === 'string' ? e.code : `http_${res.status}`, typeof e.message === 'string' ? e.message : `${service} answered ${res.status}`, e.details ?? null);
    }
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) onText(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  }
}
