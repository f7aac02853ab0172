/** A JSON object typed into a form: parsed, or why not (with the parser's own words). */
export type JsonObjectCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

const MAX_TEXT = 256 * 1024;

export function parseJsonObject(text: string): JsonObjectCheck {
  if (text.length > MAX_TEXT) return { ok: false, message: `at most ${String(MAX_TEXT / 1024)} KiB here` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'a JSON object: { … }' };
  return { ok: true, value: value as Record<string, unknown> };
}
