import type { Db } from 'mongodb';
import { isDuplicateKey } from './duplicate-key';

/**
 * A named lease in the database: at most one holder at a time among every process on the
 * database, for work that should run in one place (the maintenance sweep). One document per name:
 * `{ _id: name, holder, expires_at, taken_at }`.
 */
export const LEASES_COLLECTION = 'process_leases';

interface LeaseDocument {
  _id: string;
  holder: string;
  expires_at: Date;
  /** When the current holder took it (kept while it renews). */
  taken_at: Date;
}

export interface LeaseState {
  holder: string;
  expiresAt: Date;
  takenAt: Date;
}

/**
 * Takes the lease `name` for `holder` until `now + ttlMs`, or renews it when `holder` has it.
 * True when `holder` holds it now. Each step is one atomic write: the renewal matches only our own
 * lease; the takeover matches only an expired one, and when there is none, the upsert's insert of
 * the same `_id` fails with a duplicate key: somebody else holds it.
 */
export async function takeLease(db: Db, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const leases = db.collection<LeaseDocument>(LEASES_COLLECTION);
  const expires = new Date(now.getTime() + ttlMs);
  const renewed = await leases.updateOne({ _id: name, holder }, { $set: { expires_at: expires } });
  if (renewed.matchedCount === 1) return true;
  try {
    await leases.updateOne(
      { _id: name, expires_at: { $lte: now } },
      { $set: { holder, expires_at: expires, taken_at: now } },
      { upsert: true },
    );
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Gives the lease up (a clean stop), so another process takes it at its next try. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.collection<LeaseDocument>(LEASES_COLLECTION).deleteOne({ _id: name, holder });
}

/** Who holds the lease `name` (an expired one included), or null. */
export async function readLease(db: Db, name: string): Promise<LeaseState | null> {
  const found = await db.collection<LeaseDocument>(LEASES_COLLECTION).findOne({ _id: name });
  return found ? { holder: found.holder, expiresAt: found.expires_at, takenAt: found.taken_at } : null;
}
