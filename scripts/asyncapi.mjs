#!/usr/bin/env node
// Writes docs/asyncapi.json, the AsyncAPI 3.1 document of hookstream.ingest and
// hookstream.ingest.rejected, from libs/contracts (the zod schema the gateway validates with).
//   npm run build && npm run asyncapi             write it
//   npm run asyncapi -- --check                   exit 1 when the committed file differs
// test/integration/asyncapi.int-spec.ts makes the same comparison, and validates the document
// with the AsyncAPI parser, on every `npm test`.
import { join } from 'node:path';
import { ROOT, writeGenerated } from './lib.mjs';

const { ingestAsyncApiDocument } = await import('@hookstream/contracts');
const { API_VERSION } = await import('@hookstream/platform');
const target = join(ROOT, 'docs/asyncapi.json');
const text = `${JSON.stringify(ingestAsyncApiDocument(API_VERSION), null, 2)}\n`;
writeGenerated(target, text, 'npm run build && npm run asyncapi');
