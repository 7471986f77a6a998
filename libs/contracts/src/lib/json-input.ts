/**
 * Checks every JSON input before its schema sees it, the same at both doors: the limits that no
 * zod schema states but MongoDB and the workers need. Iterative, so a 10,000-level body cannot
 * overflow the stack here.
 */
export const MAX_JSON_DEPTH = 32;

export interface JsonInputProblem {
  /** Dotted path of the offending field (`results.context.$where`), '' for the whole input. */
  path: string;
  message: string;
}

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
// A high surrogate not followed by a low one, or a low one without a high one before it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Keys that name an object's prototype machinery. Stored in free-form fields (`results.context`,
 * `error.details`) they would make every later read of the job fail: superjson, the dashboard's
 * transport, refuses to send an object holding one of them.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function pathOf(parts: readonly (string | number)[]): string {
  return parts.join('.');
}

function badString(text: string): string | null {
  if (NUL.test(text)) return 'Must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'Must be well-formed Unicode (no lone surrogates)';
  return null;
}

/**
 * The first problem of a parsed JSON value, or null: nesting deeper than MAX_JSON_DEPTH, an
 * object key starting with `$` (a MongoDB operator), holding NUL or named `__proto__`,
 * `constructor` or `prototype`, a string with NUL or a lone
 * surrogate (MongoDB would store U+FFFD instead, so the answer and the stored value would differ).
 */
export function findJsonInputProblem(value: unknown): JsonInputProblem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof current === 'string') {
      const problem = badString(current);
      if (problem) return { path: pathOf(path), message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      return { path: pathOf(path.slice(0, 3)), message: `Nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const [key, inner] of Object.entries(current)) {
      if (key.startsWith('$')) return { path: pathOf([...path, key]), message: 'Keys must not start with $' };
      if (RESERVED_KEYS.has(key)) return { path: pathOf([...path, key]), message: 'Reserved key name (__proto__, constructor and prototype are refused)' };
      const problem = badString(key);
      if (problem) return { path: pathOf([...path, key.replace(NUL, '\\0')]), message: `Key: ${problem}` };
      stack.push({ value: inner, path: [...path, key] });
    }
  }
  return null;
}
