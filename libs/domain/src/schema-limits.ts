import type { FieldError } from '@hookstream/contracts';
import { patternProblem } from './linear-regexp.js';

/**
 * What a tenant's JSON Schema may cost, checked when it is registered (and again before the
 * gateway compiles a stored one). Validation work is at most (data nodes × schema weight), so
 * bounding the weight here and the product at validation time bounds every validation.
 */
export const SCHEMA_LIMITS = {
  /** Serialized size of the schema, UTF-8 bytes. */
  maxBytes: 64 * 1024,
  /** Nesting of objects and arrays inside the schema document. */
  maxDepth: 32,
  /** Keys and array items in the whole document (enum values and defaults count). */
  maxKeywords: 5_000,
  /** The schema's weight with every `$ref` expanded in place: what one data value can cost. */
  maxWeight: 10_000,
} as const;

/** Keywords whose value is one schema. */
const SCHEMA_VALUED = new Set(['not', 'if', 'then', 'else', 'contains', 'additionalProperties', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems', 'items']);
/** Keywords whose value is an array of schemas (`items` may be either, draft-07). */
const SCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords dearer than a type check, per value they apply to (hashing a value, sorting keys). */
const KEYWORD_WEIGHT: Record<string, number> = { enum: 20, uniqueItems: 100 };
const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'];
/** The base of a schema without `$id`: a name that can never be fetched. */
const ROOT_BASE = 'urn:hookstream:schema';

export type SchemaCheck = { ok: true; weight: number } | { ok: false; errors: FieldError[] };

type Json = Record<string, unknown>;

interface Node {
  schema: Json;
  path: string;
  base: string;
}

/** Checks a tenant schema against SCHEMA_LIMITS, RE2 and the no-remote-`$ref` rule. */
export function checkSchema(schema: Json, root = 'schema'): SchemaCheck {
  const bytes = Buffer.byteLength(JSON.stringify(schema));
  if (bytes > SCHEMA_LIMITS.maxBytes) return refused(root, `the schema is ${bytes} bytes; at most ${SCHEMA_LIMITS.maxBytes}`);
  const shape = measure(schema, root, 0);
  if (shape.error) return { ok: false, errors: [shape.error] };
  if (shape.keywords > SCHEMA_LIMITS.maxKeywords) return refused(root, `the schema has ${shape.keywords} keywords and values; at most ${SCHEMA_LIMITS.maxKeywords}`);

  const nodes: Node[] = [];
  const errors: FieldError[] = [];
  collect(schema, root, ROOT_BASE, nodes, errors);
  if (errors.length) return { ok: false, errors };
  const byUri = new Map<string, Json>([[stripFragment(nodes[0]?.base ?? ROOT_BASE), schema]]);
  for (const n of nodes) {
    if (typeof n.schema.$id === 'string') byUri.set(stripFragment(n.base), n.schema);
    for (const a of ['$anchor', '$dynamicAnchor']) if (typeof n.schema[a] === 'string') byUri.set(`${stripFragment(n.base)}#${n.schema[a]}`, n.schema);
  }
  const targets = new Map<Json, { target: Json; path: string }[]>();
  for (const n of nodes) {
    for (const k of REF_KEYWORDS) {
      const ref = n.schema[k];
      if (typeof ref !== 'string') continue;
      const target = resolveRef(ref, n.base, byUri);
      if (!target) {
        errors.push({ path: `${n.path}.${k}`, message: `"${ref}" is not a location inside this schema: remote or other schemas' $refs are refused` });
        continue;
      }
      targets.set(n.schema, [...(targets.get(n.schema) ?? []), { target, path: `${n.path}.${k}` }]);
    }
  }
  if (errors.length) return { ok: false, errors };
  const weighed = weigh(schema, root, targets, new Map(), new Set());
  if ('error' in weighed) return { ok: false, errors: [weighed.error] };
  if (weighed.weight > SCHEMA_LIMITS.maxWeight) return refused(root, `the schema weighs ${weighed.weight} with its $refs expanded; at most ${SCHEMA_LIMITS.maxWeight}`);
  return { ok: true, weight: weighed.weight };
}

function refused(path: string, message: string): SchemaCheck {
  return { ok: false, errors: [{ path, message }] };
}

/** Keyword count and depth of the raw document, stopping at the first value too deep. */
function measure(value: unknown, path: string, depth: number): { keywords: number; error?: FieldError } {
  if (typeof value !== 'object' || value === null) return { keywords: 0 };
  if (depth >= SCHEMA_LIMITS.maxDepth) return { keywords: 0, error: { path, message: `the schema nests deeper than ${SCHEMA_LIMITS.maxDepth} levels` } };
  let keywords = 0;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const inner = measure(v, `${path}.${k}`, depth + 1);
    if (inner.error) return inner;
    keywords += 1 + inner.keywords;
  }
  return { keywords };
}

/** Every subschema with its path and base URI; patterns that RE2 cannot run become errors. */
function collect(schema: unknown, path: string, parentBase: string, out: Node[], errors: FieldError[]): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const s = schema as Json;
  let base = parentBase;
  if (typeof s.$id === 'string') {
    try {
      base = new URL(s.$id, parentBase).href;
    } catch {
      errors.push({ path: `${path}.$id`, message: `"${s.$id}" is not a URI reference` });
      return;
    }
  }
  out.push({ schema: s, path, base });
  if (typeof s.pattern === 'string') {
    const problem = patternProblem(s.pattern);
    if (problem) errors.push({ path: `${path}.pattern`, message: problem });
  }
  if (typeof s.patternProperties === 'object' && s.patternProperties !== null) {
    for (const p of Object.keys(s.patternProperties)) {
      const problem = patternProblem(p);
      if (problem) errors.push({ path: `${path}.patternProperties.${p}`, message: problem });
    }
  }
  for (const [k, v] of Object.entries(s)) {
    if (SCHEMA_ARRAYS.has(k) && Array.isArray(v)) v.forEach((sub, i) => collect(sub, `${path}.${k}.${i}`, base, out, errors));
    else if (SCHEMA_VALUED.has(k)) collect(v, `${path}.${k}`, base, out, errors);
    else if (SCHEMA_MAPS.has(k) && typeof v === 'object' && v !== null) for (const [name, sub] of Object.entries(v)) collect(sub, `${path}.${k}.${name}`, base, out, errors);
  }
}

/** The subschema a `$ref` names, when it lies inside this document; undefined otherwise. */
function resolveRef(ref: string, base: string, byUri: Map<string, Json>): Json | undefined {
  let uri: URL;
  try {
    uri = new URL(ref, base);
  } catch {
    return undefined;
  }
  const fragment = decodeURIComponent(uri.hash.slice(1));
  const resource = byUri.get(stripFragment(uri.href));
  if (!resource) return undefined;
  if (fragment === '') return resource;
  if (!fragment.startsWith('/')) return byUri.get(`${stripFragment(uri.href)}#${fragment}`);
  let at: unknown = resource;
  for (const raw of fragment.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Json)[key];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at) ? (at as Json) : undefined;
}

function stripFragment(uri: string): string {
  const i = uri.indexOf('#');
  return i < 0 ? uri : uri.slice(0, i);
}

/**
 * Weight of a subschema: its keywords, its enum values, its subschemas and, through each
 * `$ref`, the weight of the target, so a chain of refs that doubles at every step is seen at
 * its real size. A `$ref` cycle would be infinite work on nested data and is refused.
 */
function weigh(schema: unknown, path: string, targets: Map<Json, { target: Json; path: string }[]>, memo: Map<Json, number>, active: Set<Json>): { weight: number } | { error: FieldError } {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { weight: 1 };
  const s = schema as Json;
  const known = memo.get(s);
  if (known !== undefined) return { weight: known };
  if (active.has(s)) return { error: { path, message: 'the schema refers to itself ($ref cycle); recursive schemas are refused' } };
  active.add(s);
  let weight = 0;
  const add = (sub: unknown, subPath: string): FieldError | undefined => {
    const r = weigh(sub, subPath, targets, memo, active);
    if ('error' in r) return r.error;
    weight += r.weight;
    return undefined;
  };
  for (const [k, v] of Object.entries(s)) {
    weight += 1;
    let error: FieldError | undefined;
    if (SCHEMA_ARRAYS.has(k) && Array.isArray(v)) for (const [i, sub] of v.entries()) error ??= add(sub, `${path}.${k}.${i}`);
    else if (SCHEMA_VALUED.has(k)) error = add(v, `${path}.${k}`);
    else if (SCHEMA_MAPS.has(k) && k !== '$defs' && k !== 'definitions' && typeof v === 'object' && v !== null) for (const [name, sub] of Object.entries(v)) error ??= add(sub, `${path}.${k}.${name}`);
    else if (k === 'const' && typeof v === 'object' && v !== null) weight += JSON.stringify(v).length / 8;
    else weight += KEYWORD_WEIGHT[k] ?? 0;
    if (error) return { error };
  }
  for (const t of targets.get(s) ?? []) {
    const error = add(t.target, t.path);
    if (error) return { error };
  }
  active.delete(s);
  weight = Math.ceil(weight);
  memo.set(s, weight);
  return { weight };
}
