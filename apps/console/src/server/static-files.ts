import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { COMMON_HEADERS, contentSecurityPolicy, newNonce } from './security-headers.js';

const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json; charset=utf-8',
};

/** Vite's output names: a word, its content hash, an extension. Nothing else is ever looked up on disk. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.([a-z0-9]+)$/;

/** The single-page app: its page (one per response, with a fresh nonce) and its hashed files. */
export class WebFiles {
  private readonly assets = new Map<string, { body: Buffer; type: string }>();

  private constructor(private readonly page: string) {}

  /** Reads the built app once at boot; a missing build stops the process, naming the folder. */
  static async load(dir: string, names: readonly string[]): Promise<WebFiles> {
    const page = await readFile(join(dir, 'index.html'), 'utf8').catch(() => {
      throw new Error(`CONSOLE_WEB_DIR: no index.html in ${dir} (build the console first: npm run build:console)`);
    });
    if (!page.includes('__CSP_NONCE__')) throw new Error(`CONSOLE_WEB_DIR: ${dir}/index.html has no __CSP_NONCE__ placeholder; it is not the console's build`);
    const files = new WebFiles(page);
    for (const name of names) {
      const ext = ASSET_NAME.exec(name)?.[1];
      const type = ext ? TYPES[ext] : undefined;
      if (type) files.assets.set(name, { body: await readFile(join(dir, 'assets', name)), type });
    }
    return files;
  }

  /** `/` is the app (it routes by the URL's fragment); `/assets/<name>` its files; nothing else exists. */
  serve(pathname: string, method: string, res: ServerResponse): void {
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { ...COMMON_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed');
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      const nonce = newNonce();
      const body = this.page.replaceAll('__CSP_NONCE__', nonce);
      res.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy(nonce),
        'cache-control': 'no-store',
      });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    const asset = pathname.startsWith('/assets/') ? this.assets.get(pathname.slice('/assets/'.length)) : undefined;
    if (!asset) {
      res.writeHead(404, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('not found');
      return;
    }
    // Hashed names change with their content, so a browser may keep each for good.
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' });
    res.end(method === 'HEAD' ? undefined : asset.body);
  }
}
