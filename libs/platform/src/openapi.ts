import { Inject, Injectable, type OnApplicationBootstrap, Optional, RequestMethod, SetMetadata, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { z } from 'zod';
import { PUBLIC_ROUTE } from './route-access.js';

export interface ApiDocOptions {
  summary: string;
  /** JSON body schema; omit for routes that take none. */
  body?: z.ZodType;
  /** Media types the body may come as, when not only JSON (e.g. form posts); `body` describes each. */
  bodyMediaTypes?: readonly string[];
  query?: z.ZodType;
  /** Schema of the success response (JSON), or 'text' for plain text, or null for no body (204). */
  response: z.ZodType | 'text' | null;
  example?: unknown;
  /** Answers 429 with Retry-After when the tenant is over a rate limit or a rate quota. */
  rateLimited?: boolean;
  /** Takes an Idempotency-Key header: the same key never acts twice. */
  idempotencyKey?: boolean;
  /**
   * The area (tag and operationId prefix) when it is not the controller's name: a route that
   * needs a controller of its own (another path, other access) but belongs with an existing area.
   */
  area?: string;
}

const API_DOC = 'hookstream:api-doc';

/** Documents a route: the OpenAPI document is built from these and Nest's own route metadata. */
export const ApiDoc = (options: ApiDocOptions): MethodDecorator => SetMetadata(API_DOC, options);

export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** The whole API's document (docs/openapi.json), for the service that serves it (the gateway). */
export const PUBLIC_API_DOCUMENT = Symbol('PUBLIC_API_DOCUMENT');

/** Every authenticated write of this service may answer 429 (the registry's config_writes_per_minute). */
export const RATE_LIMITED_WRITES = Symbol('RATE_LIMITED_WRITES');

/** The API's version in every document (info.version). */
export const API_VERSION = '0.1.0';

const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown(),
});

type JsonObject = Record<string, unknown>;

const errorResponse = (description: string): JsonObject => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/**
 * The 4xx answers every route gives by its shape (the error filter maps domain errors to them):
 * a body that is not JSON, no or a bad key, a key without the route's scope or another tenant's
 * resource, an unknown id, and input that fails its schema (details: each field's path).
 */
const ERROR_RESPONSES: JsonObject = {
  BadRequest: errorResponse('bad_request: the body is not JSON, or not of the declared media type'),
  Unauthorized: errorResponse('unauthorized: no API key, or an unknown, revoked or expired one'),
  Forbidden: errorResponse('forbidden: the key lacks the scope this route needs, or reaches outside its tenant'),
  NotFound: errorResponse('not_found: no such resource in the caller’s tenant'),
  ValidationFailed: errorResponse('validation_failed (or a more specific code): the input fails its schema; details name each field by its path'),
  TooManyRequests: {
    ...errorResponse('rate_limited or quota_rate_limited: over a rate limit or a rate quota; retry after Retry-After seconds (details.retry_after_seconds says the same)'),
    headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
  },
};

/** Described once, referenced by every operation that takes them. */
const SHARED_PARAMETERS: JsonObject = {
  Cursor: {
    name: 'cursor',
    in: 'query',
    required: false,
    description: 'The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page.',
    schema: { type: 'string', maxLength: 500 },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'A key of the caller’s choosing (1-255 printable ASCII characters, no spaces): a second request with the same key acts nowhere and answers what the first did',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  },
};

const SHARED_HEADERS: JsonObject = {
  RetryAfter: { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

/** `SubscriptionsController.create` → `subscriptionsCreate`: stable, unique per service, and what SDK generators name methods after. */
function operationId(area: string, method: string): string {
  return `${area.charAt(0).toLowerCase()}${area.slice(1)}${method.charAt(0).toUpperCase()}${method.slice(1)}`;
}

/** `DeadLettersController` → `Dead letters`, `ApiKeysController` → `API keys`: the operation's area in the reference. */
function tagOf(area: string): string {
  const words = area.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(/\bapi\b/g, 'API');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

/** Formats whose meaning the format name states; zod adds its own regex for them, which says no more. */
const STATED_FORMATS = new Set(['date-time', 'date', 'time']);

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    // Generators type a date-time as their language's date and then match the regex against that
    // object: openapi-generator's Python client refused every answer holding a timestamp.
    override: ({ jsonSchema: s }) => {
      if (typeof s.format === 'string' && STATED_FORMATS.has(s.format)) delete s.pattern;
    },
  }) as JsonObject;
  return rest;
}

/**
 * The service's OpenAPI 3.1 document, built once at boot from every controller route. A route
 * without @ApiDoc still appears, marked `x-undocumented`, so a test can insist there are none.
 */
@Injectable()
export class OpenApiDocument implements OnApplicationBootstrap {
  /** This service's own routes. */
  document: JsonObject = {};

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Optional() @Inject(PUBLIC_API_DOCUMENT) private readonly publicDocument: JsonObject | null = null,
    @Optional() @Inject(RATE_LIMITED_WRITES) private readonly rateLimitedWrites = false,
  ) {}

  /** What /docs shows and /docs/openapi.json serves: the whole API where this service holds it, else its own routes. */
  get served(): JsonObject {
    return this.publicDocument ?? this.document;
  }

  onApplicationBootstrap(): void {
    const paths: Record<string, Record<string, JsonObject>> = {};
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      const instance = wrapper.instance as object | null;
      if (!controller || !instance) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name] as object;
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (!method || sub === undefined) continue;
        const path = `/${[base, sub].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        const doc = Reflect.getMetadata(API_DOC, handler) as ApiDocOptions | undefined;
        const isPublic = Boolean(Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller));
        const status = String((Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === 'post' ? 201 : 200));
        const area = doc?.area ?? controller.name.replace(/Controller$/, '');
        paths[path] ??= {};
        (paths[path])[method] = { operationId: operationId(area, name), tags: [tagOf(area)], ...this.operation(method, path, status, isPublic, doc) };
      }
    }
    this.document = {
      openapi: '3.1.0',
      info: {
        title: `Hookstream ${this.service}`,
        version: API_VERSION,
        description: `The HTTP API of Hookstream's ${this.service}. Errors answer { code, message, details }; details names each failing field by its path.`,
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Relative: the document is served by the service it describes, at its own origin.
      servers: [{ url: '/', description: `this ${this.service}` }],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A Hookstream API key (hsk_…) or the admin key' } },
        schemas: { Error: jsonSchema(errorSchema, 'output') },
        responses: ERROR_RESPONSES,
        parameters: SHARED_PARAMETERS,
        headers: SHARED_HEADERS,
      },
      paths,
    };
  }

  private operation(method: string, path: string, status: string, isPublic: boolean, doc: ApiDocOptions | undefined): JsonObject {
    const parameters: JsonObject[] = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (doc?.idempotencyKey) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    if (doc?.query) {
      const q = jsonSchema(doc.query, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push(name === 'cursor' ? { $ref: '#/components/parameters/Cursor' } : { name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    const responses: JsonObject = {
      ...(doc?.body ? { '400': { $ref: '#/components/responses/BadRequest' } } : {}),
      ...(isPublic ? {} : { '401': { $ref: '#/components/responses/Unauthorized' }, '403': { $ref: '#/components/responses/Forbidden' } }),
      ...(path.includes('{') ? { '404': { $ref: '#/components/responses/NotFound' } } : {}),
      ...(doc?.body || doc?.query ? { '422': { $ref: '#/components/responses/ValidationFailed' } } : {}),
      ...(doc?.rateLimited || (this.rateLimitedWrites && !isPublic && method !== 'get') ? { '429': { $ref: '#/components/responses/TooManyRequests' } } : {}),
      default: { description: 'Any other error (503 unavailable with Retry-After while a dependency is down, …)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    };
    if (doc?.response === null) responses[status] = { description: 'No content' };
    else if (doc?.response === 'text') responses[status] = { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } };
    else if (doc?.response) responses[status] = { description: 'OK', content: { 'application/json': { schema: jsonSchema(doc.response, 'output'), ...(doc.example ? { example: doc.example } : {}) } } };
    return {
      summary: doc?.summary ?? 'undocumented',
      ...(doc ? {} : { 'x-undocumented': true }),
      ...(isPublic ? { security: [] } : { security: [{ apiKey: [] }] }),
      parameters,
      ...(doc?.body ? { requestBody: { required: true, content: Object.fromEntries((doc.bodyMediaTypes ?? ['application/json']).map((t) => [t, { schema: jsonSchema(doc.body as z.ZodType, 'input') }])) } } : {}),
      responses,
    };
  }
}
