import type { JsonPath } from './storable.js';

/**
 * What JSON.parse hides: a duplicate key keeps only its last value, an integer beyond ±(2^53−1)
 * silently changes, `1e400` becomes Infinity (stored as null) and `1e-400` becomes 0. Depth is
 * found here too, before a recursive walker can overflow the stack on `[[[[…`.
 */
export interface JsonTextProblem {
  path: JsonPath;
  message: string;
}

export interface JsonTextReport {
  /** Where nesting first went past the limit; the scan stops there. */
  tooDeepAt: JsonPath | null;
  problems: JsonTextProblem[];
}

interface Frame {
  /** Keys seen so far (objects); null for arrays. */
  keys: Set<string> | null;
  key: string | number;
  expectKey: boolean;
}

/** Why a JSON number literal does not survive JSON.parse unchanged, or null. */
export function numberLiteralProblem(raw: string): string | null {
  const value = Number(raw);
  if (!Number.isFinite(value)) return 'number is out of range';
  if (/^-?\d+$/.test(raw)) return Number.isSafeInteger(value) ? null : 'integer beyond ±(2^53−1) cannot be represented exactly';
  const mantissa = raw.split(/[eE]/)[0] ?? '';
  if (value === 0 && /[1-9]/.test(mantissa)) return 'number is too small: it would become 0';
  return null;
}

/**
 * Scans JSON text once, linearly and without recursion. Only the problems above are reported:
 * syntax errors are left to the parser, so on broken input the scan just stops.
 */
export function inspectJsonText(text: string, maxDepth: number, maxProblems = 50): JsonTextReport {
  const frames: Frame[] = [];
  const problems: JsonTextProblem[] = [];
  const pathHere = (): JsonPath => frames.map((f) => f.key);
  const report = (path: JsonPath, message: string) => {
    if (problems.length < maxProblems) problems.push({ path, message });
  };
  let i = 0;
  const n = text.length;
  while (i < n && problems.length < maxProblems) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (frames.length >= maxDepth) return { tooDeepAt: pathHere(), problems };
      frames.push(c === 0x7b ? { keys: new Set(), key: '', expectKey: true } : { keys: null, key: 0, expectKey: false });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.key = (top.key as number) + 1;
      i++;
    } else if (c === 0x22 /* " */) {
      const end = closingQuote(text, i + 1);
      if (end < 0) break;
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? decodeKey(raw) : raw;
        if (key === null) break;
        top.key = key;
        top.expectKey = false;
        if (top.keys.has(key)) report(pathHere(), 'duplicate key');
        else top.keys.add(key);
      }
      i = end + 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let exponent = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x65 || d === 0x45) exponent = true;
        else if (!((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x2d || d === 0x2b)) break;
      }
      // Up to 15 characters without an exponent always parse exactly; only longer ones need a look.
      if (exponent || j - i > 15) {
        const problem = numberLiteralProblem(text.slice(i, j));
        if (problem) report(pathHere(), problem);
      }
      i = j;
    } else {
      i++;
    }
  }
  return { tooDeepAt: null, problems };
}

/** Index of the quote that ends the string whose content starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  let at = text.indexOf('"', from);
  while (at >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/** `"a"` and `"\u0061"` are the same key. */
function decodeKey(raw: string): string | null {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return null;
  }
}
