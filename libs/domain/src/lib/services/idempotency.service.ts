import { createHash } from 'node:crypto';
import { BSON, type Collection } from 'mongodb';
import { isDuplicateKey } from '@event-monitor/db';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '@event-monitor/contracts';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode } from '../errors';
import type { IdempotencyKeyRecord } from '../models/idempotency-key.model';
import { newLeaseToken } from '../util';

/** How long the first request may run before a retry takes its key over (a crash or a hang). */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** How long a concurrent retry waits for the first request's answer before a 409 "in progress". */
export const IDEMPOTENCY_WAIT_MS = 30_000;
export const IDEMPOTENCY_TTL_MS = IDEMPOTENCY_KEY_TTL_HOURS * 3600 * 1000;

export interface IdempotentCall {
  /** The operation the key belongs to (`batch.create`). */
  operation: string;
  key: string;
  /** The request without its key: the fingerprint of a retry must match. */
  input: unknown;
}

/**
 * Ids derived from the key: a retry that re-runs a crashed first request writes the same ids, so
 * the unique indexes on batch_id / job_id make the second write a no-op instead of a duplicate.
 */
export interface DerivedIds {
  id(prefix: 'batch' | 'job', part?: string | number): string;
  /** True when this run took over a key whose first request never answered (writes may exist). */
  takeover: boolean;
}

/** JSON with sorted keys: the same request gives the same fingerprint whatever the key order. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, item]) => `${JSON.stringify(k)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Seeded by the key and its record's creation time: a key reused after it expired gets new ids. */
function derivedIds(principal: string, call: IdempotentCall, createdAt: Date, takeover: boolean): DerivedIds {
  const seed = `${principal}\u0000${call.operation}\u0000${call.key}\u0000${createdAt.getTime()}`;
  return {
    takeover,
    id(prefix, part = '') {
      const hex = sha256(`${seed}\u0000${prefix}\u0000${part}`);
      return `${prefix}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `run` at most once per (principal, operation, key) and answers every retry with the first
 * answer (issue 20). No transactions on the embedded server, so the key is reserved first by an
 * insert on a unique index (`pending`, under a lease): one request of many concurrent ones wins,
 * the others wait for its answer. A request that crashes leaves its key pending; once the lease
 * ran out a retry takes the key over and runs again with the same derived ids, so what the first
 * run wrote is not written twice. A run that fails releases the key (only answers are kept).
 */
export async function runIdempotent<T>(deps: DomainDeps, actor: Actor, call: IdempotentCall, run: (ids: DerivedIds) => Promise<T>): Promise<T> {
  const collection = deps.models.IdempotencyKey.collection as unknown as Collection<IdempotencyKeyRecord>;
  const where = { principal: actor.userId, operation: call.operation, key: call.key };
  const fingerprint = sha256(canonical(call.input));

  const runHolding = async (token: string, createdAt: Date, takeover: boolean): Promise<T> => {
    let result: T;
    try {
      result = await run(derivedIds(actor.userId, call, createdAt, takeover));
    } catch (err) {
      await collection.deleteOne({ ...where, state: 'pending', lease_token: token });
      throw err;
    }
    await collection.updateOne(
      { ...where, state: 'pending', lease_token: token },
      { $set: { state: 'done', answer: BSON.EJSON.stringify(result, { relaxed: true }) }, $unset: { lease_token: 1, lease_until: 1 } },
    );
    return result;
  };

  const started = Date.now();
  for (let round = 0; ; round++) {
    const now = nowOf(deps);
    const token = newLeaseToken();
    const record: IdempotencyKeyRecord = {
      ...where,
      fingerprint,
      state: 'pending',
      lease_token: token,
      lease_until: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS),
      created_at: now,
      expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    };
    try {
      await collection.insertOne(record);
      return await runHolding(token, now, false);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Another request has (or had) this key.
    const existing = await collection.findOne(where);
    if (!existing) continue; // its request failed and released it: run this one
    const current = nowOf(deps);
    if (existing.expires_at <= current) {
      await collection.deleteOne({ ...where, expires_at: existing.expires_at });
      continue;
    }
    if (existing.fingerprint !== fingerprint) {
      throw new DomainError(
        DomainErrorCode.IDEMPOTENCY_KEY_REUSED,
        `Idempotency key ${JSON.stringify(call.key)} was already used for a different request`,
        { idempotency_key: call.key },
      );
    }
    if (existing.state === 'done' && existing.answer !== undefined) return BSON.EJSON.parse(existing.answer, { relaxed: true }) as T;
    if (existing.lease_until && existing.lease_until < current) {
      const takeoverToken = newLeaseToken();
      const taken = await collection.updateOne(
        { ...where, state: 'pending', lease_token: existing.lease_token },
        { $set: { lease_token: takeoverToken, lease_until: new Date(current.getTime() + IDEMPOTENCY_LEASE_MS) } },
      );
      if (taken.modifiedCount === 1) return runHolding(takeoverToken, existing.created_at, true);
      continue;
    }
    if (Date.now() - started > IDEMPOTENCY_WAIT_MS) {
      throw new DomainError(DomainErrorCode.CONFLICT, `A request with idempotency key ${JSON.stringify(call.key)} is still in progress; retry later`);
    }
    await sleep(Math.min(20 * 2 ** Math.min(round, 3), 200));
  }
}

/** Deletes expired keys (the embedded server ignores TTL indexes); index-served by {expires_at}. */
export async function deleteExpiredIdempotencyKeys(deps: DomainDeps): Promise<number> {
  const result = await deps.models.IdempotencyKey.collection.deleteMany({ expires_at: { $lt: nowOf(deps) } });
  return result.deletedCount;
}
