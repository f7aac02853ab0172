import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from '@jest/globals';
import { DiagnosticSeverity } from '@stoplight/types';
import { eventEnvelopeSchema, ingestAsyncApiDocument, TOPICS } from '@hookstream/contracts';
import { API_VERSION } from '@hookstream/platform';
import { REPO_ROOT } from '@hookstream/testing';

/** Errors and warnings (Spectral's information and hints are advice). */
async function problems(text: string): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(text);
  const severe = new Set<unknown>([DiagnosticSeverity.Error, DiagnosticSeverity.Warning]);
  return diagnostics.filter((d) => severe.has(d.severity)).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
}

describe('docs/asyncapi.json (hookstream.ingest and hookstream.ingest.rejected)', () => {
  const committed = readFileSync(join(REPO_ROOT, 'docs/asyncapi.json'), 'utf8');
  const doc = JSON.parse(committed) as {
    channels: Record<string, { address: string }>;
    components: { messages: { event: { payload: { required: string[]; additionalProperties: boolean }; examples: Array<{ payload: unknown }> } } };
  };

  it('is what libs/contracts builds (regenerate: npm run build && npm run asyncapi)', () => {
    expect(`${JSON.stringify(ingestAsyncApiDocument(API_VERSION), null, 2)}\n` === committed).toBe(true);
  });

  it('passes the AsyncAPI parser with no error or warning, and a broken one does not', async () => {
    expect(await problems(committed)).toEqual([]);
    const broken = JSON.parse(committed) as { operations: { publishEvent: { channel: { $ref: string } } } };
    broken.operations.publishEvent.channel.$ref = '#/channels/nowhere';
    expect((await problems(JSON.stringify(broken))).length).toBeGreaterThan(0);
  });

  it('describes the two public topics with the gateway’s own envelope schema, and its example passes it', () => {
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual([TOPICS.ingest, TOPICS.ingestRejected]);
    const { payload, examples } = doc.components.messages.event;
    expect([...payload.required].sort()).toEqual(['data', 'id', 'occurred_at', 'tenant_id', 'type']);
    expect(payload.additionalProperties).toBe(false);
    for (const e of examples) expect(eventEnvelopeSchema.safeParse(e.payload).success).toBe(true);
  });
});
