import type { FieldError } from '@hookstream/contracts';

/** The fields of a JSON Schema validator's error (ajv's ErrorObject) that name what failed. */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  params: object;
  message?: string;
}

/**
 * Field errors for an event's `data` that failed its type's JSON Schema, with paths as the API
 * names fields (`data.items.0.sku`). A missing property is reported by validators on its parent;
 * the path names the property itself.
 */
export function schemaFieldErrors(violations: readonly SchemaViolation[] | null | undefined, root = 'data'): FieldError[] {
  return (violations ?? []).map((v) => {
    const missing = v.keyword === 'required' ? (v.params as { missingProperty?: unknown }).missingProperty : undefined;
    const path = `${root}${v.instancePath.replaceAll('/', '.')}${typeof missing === 'string' ? `.${missing}` : ''}`;
    return { path, message: v.message ?? 'does not match the schema' };
  });
}
