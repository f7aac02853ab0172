#!/usr/bin/env node
// Writes docs/openapi.json, the one public API document, from the documents the five services
// serve at /docs/service.json (they build theirs from the routes and zod schemas at boot).
//   npm start                      (in another terminal: the services on their usual ports)
//   npm run openapi                write docs/openapi.json
//   npm run openapi -- --check     exit 1 when the committed file differs
// Service URLs default to npm start's; OPENAPI_<SERVICE>_URL (e.g. OPENAPI_INGRESS_GATEWAY_URL)
// reads a service elsewhere. The pipeline e2e test makes the same comparison on every `npm test`.
import { join } from 'node:path';
import { ROOT, writeGenerated } from './lib.mjs';

const { LOCAL_BASE_URLS, publicApiDocument } = await import('@hookstream/platform');
const target = join(ROOT, 'docs/openapi.json');
const services = [];
for (const [service, baseUrl] of Object.entries(LOCAL_BASE_URLS)) {
  const url = process.env[`OPENAPI_${service.toUpperCase().replace(/-/g, '_')}_URL`] ?? baseUrl;
  const res = await fetch(`${url}/docs/service.json`).catch((err) => {
    console.error(`${service} does not answer at ${url} (${err.cause?.code ?? err.message}): start the services with npm start`);
    process.exit(2);
  });
  if (!res.ok) throw new Error(`${url}/docs/service.json answered ${res.status}`);
  services.push({ service, baseUrl, document: await res.json() });
}
const text = `${JSON.stringify(publicApiDocument(services), null, 2)}\n`;
writeGenerated(target, text, 'npm start, then npm run openapi');
