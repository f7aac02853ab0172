import type { FieldError } from '@hookstream/contracts';
import type { SchemaValidateFunction } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { linearRegExpEngine, meterPatterns, PATTERN_BUDGET } from './linear-regexp.js';
import { schemaFieldErrors } from './schema-errors.js';
import { SCHEMA_FORMATS } from './schema-formats.js';
import { canonicalJson } from './canonical-json.js';
import { checkSchema } from './schema-limits.js';

/*
 * Lives in libs/domain: compiling a JSON Schema is pure computation (ajv and re2js do no I/O),
 * and both the gateway's catalog check and the registry's dry-run must judge a schema the same
 * way, so they share this one compiler instead of each holding an ajv of its own.
 */

/**
 * Data nodes × schema weight one validation may cost; beyond it the data is refused unrun. A unit
 * is one keyword applied to one value (~5-10 ns in ajv's generated code on a 2-core box), so the
 * budget keeps structural work under ~5 ms; see the worst-case table in the ADR.
 */
export const VALIDATION_BUDGET = 500_000;
const KEY_UNITS = 9;

export interface SchemaCompilerOptions {
  /** Compiled schemas kept (least recently used are dropped). */
  maxEntries: number;
  /** A compile slower than this is refused and remembered as refused. */
  maxCompileMs: number;
}

export const DEFAULT_SCHEMA_COMPILER_OPTIONS: SchemaCompilerOptions = { maxEntries: 2000, maxCompileMs: 250 };

/** A compiled tenant schema: `validate` answers the field errors of `data` (none when it passes). */
export interface CompiledSchema {
  readonly weight: number;
  validate(data: unknown, root?: string): FieldError[];
}

export type CompileResult = { ok: true; schema: CompiledSchema } | { ok: false; errors: FieldError[] };

/**
 * Compiles tenant schemas with bounded cost: RE2 patterns and formats, the SCHEMA_LIMITS checked
 * first, a per-validation work budget, and an LRU of results keyed by the caller (tenant, type,
 * version). Every schema compiles in a namespace of its own: nothing stays registered in ajv
 * after a compile, so two tenants (or two versions of one type) may use the same `$id`, and a
 * `$ref` can never reach another tenant's schema.
 */
export class SchemaCompiler {
  private readonly ajv = newAjv();
  private readonly cache = new Map<string, CompileResult>();

  constructor(private readonly options: SchemaCompilerOptions = DEFAULT_SCHEMA_COMPILER_OPTIONS) {
    // ajv compiles the draft 2020-12 meta-schema on first use (~100-200 ms): pay it at boot, not
    // inside some tenant's first request.
    this.compile({ type: 'object', properties: { s: { type: 'string', pattern: '^a$', format: 'date' } } });
  }

  get size(): number {
    return this.cache.size;
  }

  /** The compiled schema for `key`, compiling it on first use; a refused schema stays refused. */
  get(key: string, schema: Record<string, unknown>): CompileResult {
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const result = this.compile(schema);
    this.cache.set(key, result);
    if (this.cache.size > this.options.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    return result;
  }

  /**
   * The field errors of `data` against the schema of a tenant's event type, cached per version
   * (the type's updated_at). A schema that cannot be compiled within the limits (stored before
   * they existed) refuses the event.
   */
  check(tenantId: string, type: string, version: number, schema: Record<string, unknown>, data: unknown): FieldError[] {
    const compiled = this.get(`${tenantId}\u0000${type}\u0000${version}`, schema);
    if (compiled.ok) return compiled.schema.validate(data);
    return compiled.errors.map((e) => ({ path: 'type', message: `the schema of "${type}" is refused at ${e.path}: ${e.message}` }));
  }

  /** Compiles without caching: what registration uses to accept or refuse a schema. */
  compile(schema: Record<string, unknown>, root = 'schema'): CompileResult {
    const checked = checkSchema(schema, root);
    if (!checked.ok) return checked;
    const started = performance.now();
    let fn: ValidateFunction;
    try {
      fn = this.ajv.compile(schema);
    } catch (err) {
      return { ok: false, errors: [{ path: root, message: `not a valid JSON Schema: ${(err as Error).message}` }] };
    } finally {
      // Drop everything the compile registered ($id and embedded ids): the next schema starts clean.
      this.ajv.removeSchema();
    }
    const ms = performance.now() - started;
    if (ms > this.options.maxCompileMs) return { ok: false, errors: [{ path: root, message: `the schema took ${Math.round(ms)} ms to compile; at most ${this.options.maxCompileMs}` }] };
    return { ok: true, schema: compiled(fn, checked.weight) };
  }
}

function compiled(fn: ValidateFunction, weight: number): CompiledSchema {
  return {
    weight,
    validate(data: unknown, root = 'data'): FieldError[] {
      const maxNodes = Math.floor(VALIDATION_BUDGET / weight);
      const nodes = countNodes(data, maxNodes + 1);
      if (nodes > maxNodes) {
        return [{ path: root, message: `too large to check against this event type's schema: at most ${maxNodes} values and keys for a schema of weight ${weight}` }];
      }
      const run = meterPatterns(PATTERN_BUDGET, () => fn(data));
      if (run.exhausted) return [{ path: root, message: "too many or too long strings to check against this event type's patterns and formats" }];
      return run.result ? [] : schemaFieldErrors(fn.errors, root);
    },
  };
}

/**
 * The size of `data` in validation units, counting no further than `stop`: one per value, one
 * per 64 characters of a string, and KEY_UNITS per object key (walking a big object's keys costs
 * ~200 ns each, forty times an array item).
 */
function countNodes(data: unknown, stop: number): number {
  let n = 0;
  const stack: unknown[] = [data];
  // Scalars are counted where they sit, never pushed: the walk stays well under the validation.
  const visit = (x: unknown): void => {
    n += 1;
    if (typeof x === 'string') n += x.length >> 6;
    else if (typeof x === 'object' && x !== null) stack.push(x);
  };
  while (stack.length && n < stop) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v as unknown[]) {
        visit(x);
        if (n >= stop) break;
      }
    } else if (typeof v === 'object' && v !== null) {
      // for-in, not Object.values: the latter copies, and is 3× slower on a big object.
      for (const k in v) {
        n += KEY_UNITS;
        visit((v as Record<string, unknown>)[k]);
        if (n >= stop) break;
      }
    } else visit(v);
  }
  return n;
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    // Unknown formats are annotations; ajv would log a warning on every compile of them.
    logger: false,
    formats: SCHEMA_FORMATS,
    code: { regExp: linearRegExpEngine },
  });
  // ajv compares every pair of items unless their type is scalar: quadratic on a big array.
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', validate: uniqueItems });
  // ajv compares the value with every entry (deep equality for objects): a hashed set instead.
  ajv.removeKeyword('enum');
  ajv.addKeyword({ keyword: 'enum', schemaType: 'array', compile: enumOf, error: { message: 'must be equal to one of the allowed values' } });
  return ajv;
}

const uniqueItems: SchemaValidateFunction = function (on: boolean, items: unknown[]): boolean {
  if (!on) return true;
  const seen = new Set<string>();
  for (const item of items) {
    const key = canonicalJson(item);
    if (seen.has(key)) {
      uniqueItems.errors = [{ keyword: 'uniqueItems', message: 'must NOT have duplicate items', params: {} }];
      return false;
    }
    seen.add(key);
  }
  return true;
};

function enumOf(values: unknown[]): (data: unknown) => boolean {
  const allowed = new Set(values.map(canonicalJson));
  return (data) => allowed.has(canonicalJson(data));
}

