/**
 * The signature of a failure: its error code and the first line of its message with what varies
 * from job to job (URLs, paths, ids, numbers) replaced by placeholders. Jobs that failed for the
 * same reason share it, so failures can be grouped and restarted by group.
 *
 * It is stored on the job when it fails (`error_signature`, indexed with the status), so grouping
 * is a `$group` over one index range instead of a normalisation of every failed message per read.
 */
import { createHash } from 'node:crypto';

/** The normalised first line is cut here: what follows rarely tells failures apart. */
export const MAX_PATTERN_LENGTH = 300;

// Order matters: a URL contains paths and numbers, a path may contain ids.
const REPLACEMENTS: readonly [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<time>'],
  // Windows (C:\x\y) and POSIX (/x/y, ./x, ~/x) paths of at least two segments.
  [/(?:\b[A-Za-z]:)?(?:\.{0,2}|~)(?:[\\/][\w.@%+-]+){2,}[\\/]?/g, '<path>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  // Our ids (job-…, batch-…) and anything id-like: a hex run of 8+ with a digit, a token mixing letters and digits.
  [/\b(?:job|batch|worker|lease)[-_][\w-]+/gi, '<id>'],
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<id>'],
  [/\b(?=[A-Za-z_-]*\d)(?=\w*[A-Za-z])[\w-]{12,}\b/g, '<id>'],
  // Digits not glued to a word (mp3, h264 and v2 stay), with their decimal or time separators.
  [/(?<![A-Za-z0-9_])\d+(?:[.,:]\d+)*/g, '<n>'],
];

/** The first line of a message with URLs, emails, paths, ids and numbers replaced; spaces collapsed. */
export function normaliseErrorMessage(message: unknown): string {
  const firstLine = textOf(message).split(/\r?\n/, 1)[0] ?? '';
  let text = firstLine.trim();
  for (const [pattern, placeholder] of REPLACEMENTS) text = text.replace(pattern, placeholder);
  return text.replace(/\s+/g, ' ').slice(0, MAX_PATTERN_LENGTH);
}

/** The code as grouped: a missing or empty code is `UNKNOWN` (legacy writers leave it out). */
export function errorCodeOf(code: unknown): string {
  return typeof code === 'string' && code.trim() ? code.trim() : 'UNKNOWN';
}

/**
 * The signature: 16 hex characters of SHA-256 over code and normalised message. Short and fixed so
 * it fits a URL, a filter and an index key; the readable form is `code` + `pattern`.
 */
export function errorSignature(code: unknown, message: unknown): string {
  return createHash('sha256')
    .update(`${errorCodeOf(code)}\n${normaliseErrorMessage(message)}`)
    .digest('hex')
    .slice(0, 16);
}

/** The first line of a message as a table shows it (not normalised). */
export function firstLineOf(message: unknown): string {
  return (textOf(message).split(/\r?\n/, 1)[0] ?? '').trim();
}

/** A message as text: legacy writers leave numbers, objects or nothing where a message belongs. */
function textOf(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === null || message === undefined) return '';
  return typeof message === 'object' ? JSON.stringify(message) : String(message);
}
