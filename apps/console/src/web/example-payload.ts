/**
 * An example payload for an event type, from its JSON Schema: the schema's own `examples` or
 * `default` where it gives them, otherwise a value of each declared type. Pure and bounded (depth
 * and width), since a tenant wrote the schema.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_DEPTH = 8;
const MAX_PROPERTIES = 50;

export function exampleFromSchema(schema: unknown, depth = 0): Json {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema) || depth > MAX_DEPTH) return null;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s['examples']) && s['examples'].length > 0) return s['examples'][0] as Json;
  if ('const' in s) return s['const'] as Json;
  if ('default' in s) return s['default'] as Json;
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0] as Json;
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) return exampleFromSchema(options[0], depth + 1);
  }
  const type = Array.isArray(s['type']) ? (s['type'].find((t) => t !== 'null') as unknown) : s['type'];
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const props = s['properties'] && typeof s['properties'] === 'object' ? Object.entries(s['properties'] as Record<string, unknown>) : [];
      for (const [name, sub] of props.slice(0, MAX_PROPERTIES)) out[name] = exampleFromSchema(sub, depth + 1);
      return out;
    }
    case 'array':
      return [exampleFromSchema(s['items'], depth + 1)];
    case 'string':
      return stringExample(s['format']);
    case 'integer':
      return typeof s['minimum'] === 'number' ? Math.ceil(s['minimum']) : 1;
    case 'number':
      return typeof s['minimum'] === 'number' ? s['minimum'] : 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return s['properties'] ? exampleFromSchema({ ...s, type: 'object' }, depth) : null;
  }
}

function stringExample(format: unknown): string {
  switch (format) {
    case 'date-time':
      return '2026-12-07T10:00:00Z';
    case 'date':
      return '2026-12-07';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'uuid':
      return '3b6a5cd5-3750-4c3c-a02a-0fbc129a759f';
    default:
      return 'text';
  }
}
