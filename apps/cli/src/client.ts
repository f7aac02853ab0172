import { createHookstreamClient, type HookstreamClient } from '@hookstream/client';

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

/** What every call of the SDK answers (openapi-fetch): the body on a 2xx, the error otherwise. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The two services the CLI calls, through @hookstream/client: each call typed and routed by the API
 * document, with the key. Every request but a live stream has `timeoutMs`; a request that gets no
 * answer at all becomes UnreachableError, naming the service and its URL.
 */
export function connect(urls: Record<Service, string>, apiKey: string, timeoutMs = 30_000): HookstreamClient {
  const fetchWithLimits = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const live = request.headers.get('accept') === 'text/event-stream';
    try {
      return await fetch(request, live ? {} : { signal: AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) });
    } catch (err) {
      if (request.signal.aborted) throw err; // the caller stopped it (Ctrl-C on tail)
      const service = serviceAt(urls, request.url);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new UnreachableError(`cannot reach the ${service} at ${urls[service]} (${why})`);
    }
  };
  return createHookstreamClient({
    apiKey,
    urls: { dlqInspector: urls['dlq-inspector'], subscriptionRegistry: urls['subscription-registry'] },
    fetch: fetchWithLimits,
  });
}

/** The answer's body on a 2xx; otherwise the API's `{ code, message, details }` as an ApiError. */
export async function answer<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const text = typeof error === 'string' && error ? `: ${error.slice(0, 200)}` : '';
  throw new ApiError(
    response.status,
    typeof e.code === 'string' ? e.code : `http_${response.status}`,
    typeof e.message === 'string' ? e.message : `${new URL(response.url).host} answered ${response.status}${text}`,
    e.details ?? null,
  );
}

/**
 * A value from the command line where the API takes one of a list, passed on as given: the service
 * refuses one outside the list with 422 and the field's path (runCli prints both), so the CLI keeps
 * no copy of the API's lists to drift from it.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the API's type: this is the one unchecked hand-over
export function asGiven<T extends string>(value: string | undefined): T | undefined {
  return value as T | undefined;
}

function serviceAt(urls: Record<Service, string>, url: string): Service {
  const origin = new URL(url).origin;
  return new URL(urls['subscription-registry']).origin === origin ? 'subscription-registry' : 'dlq-inspector';
}
