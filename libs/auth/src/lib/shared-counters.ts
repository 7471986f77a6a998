import type { Collection, Db } from 'mongodb';

/**
 * Counters every app process shares: the sign-in limits and the per-token request limits are
 * counted here, in the database, so N processes behind a balancer enforce the same limits as one.
 *
 * One document per subject and fixed window (`_id` = "<subject>@<window start>"), advanced with one
 * atomic `$inc` upsert: no read-modify-write, so concurrent requests on different processes never
 * lose a count. The count a caller is judged by is a sliding window: this window's hits plus the
 * previous window's weighted by how much of it still lies within one window of `now` (the
 * "sliding window counter" of Cloudflare's and nginx's limiters). Fixed windows alone let twice the
 * limit through around an edge (10 attempts at 0:59 and 10 more at 1:00), and made a check of "the
 * 11th attempt within a minute is refused" pass or fail by where the minute happened to start.
 * `expires_at` (two windows after the start: the next window still reads it) carries a TTL index
 * for a real MongoDB; the embedded server ignores TTL, so the maintenance sweep also deletes
 * expired documents (sweepExpiredCounters).
 */
export const RATE_LIMITS_COLLECTION = 'rate_limits';

interface CounterDocument {
  _id: string;
  /** Hits in the window. */
  n?: number;
  /** Queues (sign-in turns): the time, in ms since the epoch, from which the next turn is free. */
  turn?: number;
  expires_at: Date;
}

export interface WindowCount {
  count: number;
  /** When the window ends (ms since the epoch): a refused caller may try again then. */
  resetAt: number;
}

export class SharedCounters {
  private readonly collection: Collection<CounterDocument>;
  private indexes: Promise<void> | undefined;

  constructor(db: Db) {
    this.collection = db.collection<CounterDocument>(RATE_LIMITS_COLLECTION);
  }

  /**
   * Adds one hit to `subject` in the window holding `now`; returns the sliding count after it (may
   * be fractional: the previous window's hits are weighted).
   */
  async hit(subject: string, windowMs: number, now: number): Promise<WindowCount> {
    await this.ensureIndexes();
    const start = Math.floor(now / windowMs) * windowMs;
    const [after, previous] = await Promise.all([
      this.collection.findOneAndUpdate(
        { _id: `${subject}@${start}` },
        { $inc: { n: 1 }, $setOnInsert: { expires_at: new Date(start + 2 * windowMs) } },
        { upsert: true, returnDocument: 'after', projection: { n: 1 } },
      ),
      this.previousHits(subject, start, windowMs),
    ]);
    return { count: slidingCount(after?.n ?? 1, previous, start, windowMs, now), resetAt: start + windowMs };
  }

  /** The sliding count of `subject` at `now`, without adding a hit. */
  async count(subject: string, windowMs: number, now: number): Promise<WindowCount> {
    const start = Math.floor(now / windowMs) * windowMs;
    const [found, previous] = await Promise.all([
      this.collection.findOne({ _id: `${subject}@${start}` }, { projection: { n: 1 } }),
      this.previousHits(subject, start, windowMs),
    ]);
    return { count: slidingCount(found?.n ?? 0, previous, start, windowMs, now), resetAt: start + windowMs };
  }

  private async previousHits(subject: string, start: number, windowMs: number): Promise<number> {
    const found = await this.collection.findOne({ _id: `${subject}@${start - windowMs}` }, { projection: { n: 1 } });
    return found?.n ?? 0;
  }

  /** When the next free turn of queue `subject` is (ms since the epoch; `now` when nobody waits). */
  async nextTurn(subject: string, now: number): Promise<number> {
    const found = await this.collection.findOne({ _id: subject }, { projection: { turn: 1 } });
    return Math.max(now, found?.turn ?? 0);
  }

  /**
   * Takes the next turn of queue `subject` and moves the queue on by `spacingMs`; returns the turn
   * taken. Two atomic updates: `$max` brings a queue that fell behind up to now, `$inc` then
   * reserves; concurrent callers each get their own turn, because every `$inc` is applied alone
   * and the turn taken is read back from the document it produced.
   */
  async takeTurn(subject: string, now: number, spacingMs: number, keepMs: number): Promise<number> {
    await this.ensureIndexes();
    const expires = new Date(now + keepMs);
    await this.collection.updateOne({ _id: subject }, { $max: { turn: now, expires_at: expires } }, { upsert: true });
    const after = await this.collection.findOneAndUpdate(
      { _id: subject },
      { $inc: { turn: spacingMs } },
      { returnDocument: 'after', projection: { turn: 1 } },
    );
    return (after?.turn ?? now + spacingMs) - spacingMs;
  }

  /** The TTL index (a real MongoDB deletes expired counters itself); created once per instance. */
  ensureIndexes(): Promise<void> {
    this.indexes ??= this.collection
      .createIndex({ expires_at: 1 }, { expireAfterSeconds: 0, name: 'expires_at_ttl' })
      .then(
        () => undefined,
        () => {
          this.indexes = undefined; // the database was away: try again with the next hit
        },
      );
    return this.indexes ?? Promise.resolve();
  }
}

/** This window's hits plus the previous window's, weighted by the part of it within `windowMs` of `now`. */
export function slidingCount(current: number, previous: number, start: number, windowMs: number, now: number): number {
  const overlap = 1 - (now - start) / windowMs;
  return current + previous * Math.max(0, Math.min(1, overlap));
}

/** Deletes expired counters (the maintenance sweep: the embedded server ignores TTL indexes). */
export async function sweepExpiredCounters(db: Db, now = new Date()): Promise<number> {
  const result = await db.collection<CounterDocument>(RATE_LIMITS_COLLECTION).deleteMany({ expires_at: { $lt: now } });
  return result.deletedCount;
}
