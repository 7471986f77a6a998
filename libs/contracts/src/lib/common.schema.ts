import { z } from 'zod';
import { LANGUAGE_CODES } from './languages';

/** The job states (and a batch's rolled-up status), in lifecycle order: the one list every project uses. */
export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;
export const isJobStatus = (value: unknown): value is JobStatus =>
  (JOB_STATUSES as readonly unknown[]).includes(value);

/** Job log levels, least to most severe (the Python workers' names: `warning`, `critical`). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export const LogLevel = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevel>;
export const isLogLevel = (value: unknown): value is LogLevel => (LOG_LEVELS as readonly unknown[]).includes(value);

export const Visibility = z.enum(['private', 'public']);
export type Visibility = z.infer<typeof Visibility>;

export const LanguageCode = z.enum(LANGUAGE_CODES);
export type LanguageCode = z.infer<typeof LanguageCode>;

export const JobId = z.string().trim().min(1).max(200);
export const BatchId = z.string().trim().min(1).max(200);
/** A client-chosen batch id; generated ids are `batch-<uuid>`. */
export const NewBatchId = z.string().regex(/^batch-[A-Za-z0-9-]{1,100}$/, 'Must look like batch-<letters, digits, dashes>');
export const UserId = z.string().trim().min(1).max(200);
export const UserIdList = z.array(UserId).max(100);

/** http(s) only: a worker fetches these, so file:, javascript: and friends are refused. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }).max(2048);

/** Optional URL where legacy clients send '' or null for "none". */
export const OptionalHttpUrl = z
  .union([HttpUrl, z.literal(''), z.null()])
  .optional()
  .transform((v) => v || undefined);

export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => v ?? undefined);
}

/** Query-string friendly boolean: true/false or the strings 'true'/'false'. */
export const BooleanLike = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** Query-string friendly integer within bounds. */
export function intLike(min: number, max: number) {
  return z
    .union([z.number(), z.string().trim().regex(/^-?\d+$/, 'Must be an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));
}

/**
 * An opaque page cursor: the `next_cursor` of the previous page (base64url). The server checks
 * what it decodes to; this only bounds its size and alphabet.
 */
export const PageCursor = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'Must be the next_cursor of a previous page')
  .meta({ description: 'The next_cursor of the previous page (same filter and sort); not together with skip' });

/** A date or an ISO 8601 string (JSON bodies carry strings). */
export const DateLike = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

/** A free-form object bounded by its JSON size, so no single document grows past the 16 MB limit. */
/**
 * What one job document may hold, in bytes of UTF-8 JSON (about its BSON size): the sum stays
 * under MongoDB's 16 MiB document limit whatever a worker sends over time (docs/decisions.md).
 * results 8 MiB + logs MAX_LOG_LINES x 4 KiB (4 MiB) + parameters 64 KiB + error ~80 KiB + the rest.
 */
export const JOB_BYTE_LIMITS = {
  results: 8 * 1024 * 1024,
  logMessage: 4 * 1024,
  parameters: 64 * 1024,
  errorDetails: 64 * 1024,
} as const;

/** Bytes of `value` as UTF-8 JSON; Infinity for what JSON cannot write (cycles). */
export function jsonSize(value: unknown): number {
  try {
    return utf8Length(JSON.stringify(value) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** UTF-8 length of a string without encoding it (works in the browser too). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

export function boundedRecord(maxBytes: number) {
  return z.record(z.string(), z.unknown()).refine((value) => jsonSize(value) <= maxBytes, {
    message: `Must be at most ${maxBytes} bytes as JSON`,
  });
}
