/**
 * Rows for `jsonb_to_recordset($n::jsonb)`, as one parameter. What Postgres' jsonb refuses in a
 * text value becomes U+FFFD instead of failing the whole batch: NUL (`\u0000`), which text cannot
 * hold, and a lone surrogate, which JSON.stringify writes as an escape (`\ud800`) and jsonb does
 * not accept. Only for what we record about the world (error messages, response bodies, headers
 * as sent), never for a tenant's payload: that is validated at the gateway and refused there.
 */
export function jsonbParam(rows: unknown): string {
  const text = JSON.stringify(rows);
  // Every refused escape contains `\u`; most batches hold none, and the scan showed in profiles.
  return text.includes('\\u') ? text.replace(REFUSED_ESCAPE, '$1\\ufffd') : text;
}

/**
 * `\u0000` or a surrogate escape, preceded by an even number of backslashes (so it is an escape,
 * not an escaped backslash followed by the letters). Paired surrogates never appear escaped:
 * JSON.stringify writes them as the character itself.
 */
const REFUSED_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;
