import { randomBytes, randomUUID } from 'node:crypto';

export const newJobId = (): string => `job-${randomUUID()}`;
export const newBatchId = (): string => `batch-${randomUUID()}`;
/** 32 random bytes: a lease token cannot be guessed by another worker. */
export const newLeaseToken = (): string => randomBytes(32).toString('base64url');

/** Takes user text literally inside a $regex. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Drops undefined and null keys from plain objects (recursively, also inside arrays), so a
 * write never stores null where the Python reader calls `.get` on it. The raw driver would
 * otherwise serialise `undefined` as null.
 */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => compact(item)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    out[key] = compact(item);
  }
  return out as T;
}

/** The legacy default job name: "event - track - session" of the non-empty parts. */
export function defaultJobName(parameters: { event?: string | null; track?: string | null; session?: string | null }): string {
  return [parameters.event, parameters.track, parameters.session]
    .map((part) => (part ?? '').trim())
    .filter((part) => part.length > 0)
    .join(' - ');
}
