import { type PipeTransform } from '@nestjs/common';
import { parseWith } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import type { z } from 'zod';

/** Validates a body or query with a zod schema; failures name every field (422). */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = parseWith(this.schema, value);
    if (result.ok) return result.value as z.infer<S>;
    throw new DomainError('validation_failed', `invalid request: ${result.errors.map((e) => e.path).join(', ')}`, result.errors);
  }
}
