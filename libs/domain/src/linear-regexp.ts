import { RE2JS, RE2JSException } from 're2js';

/**
 * Tenant patterns run on RE2 (re2js, a pure-JS port: no native build, no download), which matches
 * in time linear in the input, so `^(a+)+$` cannot freeze a process. RE2 has no backreferences or
 * lookaround; such patterns are refused when the schema is registered.
 * See docs/adr/0001-linear-time-regex-for-tenant-schemas.md.
 */

/** The largest compiled program (RE2 instructions) a tenant pattern may have: `[a-z]{1,1000}` is 2,001. */
export const MAX_PATTERN_PROGRAM = 1000;
/** The longest pattern source accepted. */
export const MAX_PATTERN_LENGTH = 1000;
/**
 * Regex work one validation may do, in units of about a nanosecond of re2js on a busy 2-core
 * box: a call costs ~2 µs whatever the input, and a character ~300 ns plus ~1 ns per instruction
 * of the program (`^(a|a)*$` scanned 30k characters in ~10 ms; `[a-z]{1,1000}` ~1.1 µs a
 * character). Past the budget the validation stops and the data is refused, so pattern and
 * format work stays at a few ms. See docs/adr/0001-linear-time-regex-for-tenant-schemas.md.
 */
export const PATTERN_BUDGET = 1_000_000;
const CALL_COST = 2_000;
const CHAR_COST = 300;

/** Thrown through ajv's generated code to stop a validation whose pattern work ran out. */
export class PatternBudgetExceeded extends Error {
  constructor() {
    super('pattern work budget exceeded');
  }
}

export interface LinearRegExp {
  test(s: string): boolean;
  /** ajv dedups compiled patterns by this string: it must name the pattern. */
  toString(): string;
  /** RE2 instructions, which set the cost of each character scanned. */
  readonly size: number;
}

/** Why a pattern cannot run on RE2, or null when it can. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    const size = programSize(RE2JS.compile(RE2JS.translateRegExp(pattern)), pattern);
    return size > MAX_PATTERN_PROGRAM ? `the pattern compiles to ${size} instructions (at most ${MAX_PATTERN_PROGRAM}); use smaller repeat counts` : null;
  } catch (err) {
    if (err instanceof RE2JSException) return `the pattern cannot run on a linear-time engine (no backreferences or lookaround): ${err.message}`;
    throw err;
  }
}

/** Spends the work budget of the validation in progress; set by `meterPatterns`. */
let remaining = Number.POSITIVE_INFINITY;

/**
 * Runs `fn` with a fresh regex work budget; `exhausted` when the budget ran out and `fn` was
 * stopped. Validation is synchronous and single-threaded, so one module-level meter serves every
 * validator.
 */
export function meterPatterns<T>(budget: number, fn: () => T): { result: T; exhausted: false } | { exhausted: true } {
  remaining = budget;
  try {
    return { result: fn(), exhausted: false };
  } catch (err) {
    if (err instanceof PatternBudgetExceeded) return { exhausted: true };
    throw err;
  } finally {
    remaining = Number.POSITIVE_INFINITY;
  }
}

/** A pattern compiled on RE2, its matching charged to the meter. */
export function linearRegExp(pattern: string): LinearRegExp {
  const re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  const size = programSize(re, pattern);
  const perChar = CHAR_COST + size;
  return {
    size,
    toString: () => `re2:${pattern}`,
    test(s: string): boolean {
      remaining -= CALL_COST + s.length * perChar;
      if (remaining < 0) throw new PatternBudgetExceeded();
      return re.test(s);
    },
  };
}

/** ajv's `code.regExp` hook: every `pattern`, `patternProperties` and format check goes through RE2. */
export const linearRegExpEngine = Object.assign((pattern: string): LinearRegExp => linearRegExp(pattern), { code: 'linearRegExp' });

function programSize(re: RE2JS, pattern: string): number {
  // re2js keeps the compiled program on an internal field; its size is the cost per character.
  const inst = (re as unknown as { re2Input?: { prog?: { inst?: unknown } } }).re2Input?.prog?.inst;
  return Array.isArray(inst) ? inst.length : pattern.length * 4;
}
