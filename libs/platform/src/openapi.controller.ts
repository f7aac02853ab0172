import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Param, Res, StreamableFile } from '@nestjs/common';
import { DomainError } from '@hookstream/domain';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiDoc, OpenApiDocument } from './openapi.js';
import { Public } from './route-access.js';

/** The reference page's files: Swagger UI's own build (swagger-ui-dist), served from this service, so no CDN is needed. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
};

/** Starts Swagger UI on the document beside the page (a file, not inline, so a strict CSP can keep script-src 'self'). */
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'docs/openapi.json', dom_id: '#reference', deepLinking: true, defaultModelsExpandDepth: 0 });
});
`;

const distDir = (() => {
  let dir: string | null = null;
  return () => (dir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')));
})();
const loaded = new Map<string, Buffer>();

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

@Controller('docs')
export class OpenApiController {
  constructor(private readonly openapi: OpenApiDocument) {}

  @Public()
  @ApiDoc({ summary: 'The OpenAPI 3.1 document /docs draws: the whole API at the gateway, this service’s routes elsewhere', response: z.record(z.string(), z.unknown()) })
  @Get('openapi.json')
  json(): Record<string, unknown> {
    return this.openapi.served;
  }

  @Public()
  @ApiDoc({ summary: 'This service’s own routes, as an OpenAPI 3.1 document (what docs/openapi.json is merged from)', response: z.record(z.string(), z.unknown()) })
  @Get('service.json')
  service(): Record<string, unknown> {
    return this.openapi.document;
  }

  /** The interactive reference (Swagger UI) of docs/openapi.json, with a plain link for a reader without scripts. */
  @Public()
  @ApiDoc({ summary: 'Interactive API reference', response: 'text' })
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  html(): string {
    const named = (this.openapi.served['info'] as { title?: unknown } | undefined)?.title;
    const title = esc(typeof named === 'string' ? named : 'Hookstream API');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="docs/assets/swagger-ui.css"></head>
<body><noscript><h1>${title}</h1><p>The reference needs JavaScript; the document itself is <a href="docs/openapi.json">openapi.json</a>.</p></noscript>
<div id="reference"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script><script src="docs/assets/init.js"></script>
</body></html>
`;
  }

  @Public()
  @ApiDoc({ summary: 'The reference page’s scripts and styles', response: 'text' })
  @Get('assets/:file')
  asset(@Param('file') file: string, @Res({ passthrough: true }) res: Response): StreamableFile | string {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    if (file === 'init.js') {
      res.type('text/javascript; charset=utf-8');
      return INIT_JS;
    }
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new DomainError('not_found', 'no such asset of the reference page');
    res.type(asset.type);
    let bytes = loaded.get(asset.file);
    if (!bytes) {
      bytes = readFileSync(join(distDir(), asset.file));
      loaded.set(asset.file, bytes);
    }
    // Bytes as they are: a Buffer returned bare would be sent as JSON.
    return new StreamableFile(bytes, { type: asset.type });
  }
}
