/**
 * Custom headers a subscription may add to every delivery. Hop-by-hop headers would corrupt
 * the connection, and the signing headers must come from us alone.
 */
const FORBIDDEN = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'content-length', 'content-type', 'content-encoding', 'expect',
  'webhook-id', 'webhook-timestamp', 'webhook-signature', 'traceparent', 'tracestate',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const MAX_CUSTOM_HEADERS = 20;
export const MAX_HEADER_VALUE = 1024;

/** Problems with a proposed set of custom headers, one per offending header; empty when fine. */
export function customHeaderProblems(headers: Record<string, string>, signatureHeader?: string | null): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const names = Object.keys(headers);
  if (names.length > MAX_CUSTOM_HEADERS) problems.push({ path: 'headers', message: `at most ${MAX_CUSTOM_HEADERS} custom headers` });
  for (const name of names) {
    const lower = name.toLowerCase();
    const value = headers[name] ?? '';
    const path = `headers.${name}`;
    if (!TOKEN.test(name)) problems.push({ path, message: 'is not a valid header name' });
    else if (FORBIDDEN.has(lower) || lower.startsWith('proxy-') || lower.startsWith('webhook-')) problems.push({ path, message: 'is set by Hookstream or by the connection and cannot be overridden' });
    else if (signatureHeader && lower === signatureHeader.toLowerCase()) problems.push({ path, message: 'is the signature header' });
    if (/[\r\n\0]/.test(value)) problems.push({ path, message: 'must not contain line breaks' });
    if (value.length > MAX_HEADER_VALUE) problems.push({ path, message: `must be at most ${MAX_HEADER_VALUE} characters` });
  }
  return problems;
}

export function isValidHeaderName(name: string): boolean {
  return TOKEN.test(name);
}
