#!/usr/bin/env node
// Generates the TypeScript SDK's types (libs/client/src/schema.ts, with openapi-typescript) and
// its routing table (routes.ts: which service serves each operation) from docs/openapi.json. The SDK's code is libs/client/src/client.ts; the types are never edited.
//   npm run client             write them
//   npm run client -- --check  exit 1 when they are not current (the client's integration test checks too)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { ROOT, writeGenerated } from './lib.mjs';

/** Which service serves each operation (its server variable in docs/openapi.json), for the client's routing. */
export function clientRoutes() {
  const doc = JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8'));
  const routes = {};
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) routes[`${method.toUpperCase()} ${path}`] = Object.keys(op.servers[0].variables)[0];
  }
  const services = [...new Set(Object.values(routes))].sort();
  const lines = Object.entries(routes).map(([k, v]) => `  '${k}': '${v}',`);
  return `// Generated from docs/openapi.json by \`npm run client\`: do not edit.\n/** The services of the API, by their server variable in docs/openapi.json. */\nexport type Service = ${services.map((s) => `'${s}'`).join(' | ')};\n\n/** Which service serves each operation (method and path template). */\nexport const ROUTES: Readonly<Record<string, Service>> = {\n${lines.join('\n')}\n};\n`;
}

export async function clientSchema() {
  const ast = await openapiTS(new URL(`file://${join(ROOT, 'docs/openapi.json')}`), { alphabetize: true });
  return `// Generated from docs/openapi.json by \`npm run client\` (openapi-typescript): do not edit.\n${astToString(ast)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeGenerated(join(ROOT, 'libs/client/src/schema.ts'), await clientSchema(), 'npm run client');
  writeGenerated(join(ROOT, 'libs/client/src/routes.ts'), clientRoutes(), 'npm run client');
}
