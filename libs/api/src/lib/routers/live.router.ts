import { randomBytes } from 'node:crypto';
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { BatchId, createChangeReadFilter, JobId, type ChangeEvent } from '@event-monitor/domain';
import { readProcedure, router, type ApiContext } from '../trpc';
import type { Principal } from '@event-monitor/auth';

/**
 * A comment line every 15 s would do for proxies; an event also tells the client the stream is
 * alive. The caller is authenticated again at every heartbeat (and before an event after a quiet
 * period), so a stream outlives a sign-out, deactivation or revocation by at most this long.
 */
export const LIVE_HEARTBEAT_MS = 15_000;
/** Events waiting for a slow client beyond this are dropped and replaced by one `resync`. */
const MAX_QUEUED = 1000;

export const LiveChangesInput = z.strictObject({
  batch_id: BatchId.optional(),
  job_id: JobId.optional(),
  /** Set by httpSubscriptionLink when it reconnects (the id of the last tracked event it got). */
  lastEventId: z.string().max(200).nullish(),
});
export type LiveChangesInput = z.infer<typeof LiveChangesInput>;

export type LiveChange = Pick<ChangeEvent, 'kind' | 'op' | 'id' | 'batch_id' | 'status' | 'at'>;
/** `resync`: events may have been missed; refetch what is shown. `heartbeat`: nothing changed. */
export type LiveEvent = LiveChange | { kind: 'resync'; at: Date } | { kind: 'heartbeat'; at: Date };

// Ids only need to be unique: a client that comes back with any of them gets a resync.
const streamPrefix = randomBytes(4).toString('hex');
let sequence = 0;
const nextId = (): string => `${streamPrefix}-${(++sequence).toString(36)}`;

function wanted(input: LiveChangesInput, event: ChangeEvent): boolean {
  if (input.job_id && !(event.kind === 'job' && event.id === input.job_id)) return false;
  if (input.batch_id && (event.kind === 'batch' ? event.id : event.batch_id) !== input.batch_id) return false;
  return true;
}

/** Whether two principals are the same credential of the same user (a role change is not). */
function sameCaller(before: Principal, now: Principal): boolean {
  return (
    now.actor.userId === before.actor.userId &&
    now.via === before.via &&
    now.sessionId === before.sessionId &&
    now.tokenId === before.tokenId
  );
}

/**
 * The stream's caller checked again: 'same' goes on, 'role' (same credential, other role: the
 * read filter is stale) ends the stream normally (the page falls back to polling), 'gone'
 * (signed out, deactivated, revoked, or someone else) ends it with UNAUTHORIZED. A failed check
 * (the database is down, the token is over its rate) is not a verdict: the next one decides.
 */
async function recheck(ctx: ApiContext): Promise<'same' | 'role' | 'gone'> {
  if (!ctx.revalidate || !ctx.principal) return 'same';
  let now: Principal | null;
  try {
    now = await ctx.revalidate();
  } catch {
    return 'same';
  }
  if (!now || !sameCaller(ctx.principal, now)) return 'gone';
  return now.actor.role === ctx.principal.actor.role ? 'same' : 'role';
}

const signedOut = (): TRPCError =>
  new TRPCError({ code: 'UNAUTHORIZED', message: 'Signed out, deactivated or revoked: sign in again' });

function toLiveChange(event: ChangeEvent): LiveChange {
  const change: LiveChange = { kind: event.kind, op: event.op, id: event.id, at: event.at };
  if (event.batch_id) change.batch_id = event.batch_id;
  if (event.status) change.status = event.status;
  return change;
}

export const liveRouter = router({
  /**
   * Changes to jobs and batches the caller may read (optionally of one batch or job), as they
   * happen, over SSE. Ids and status only: the client refetches what it shows.
   */
  changes: readProcedure.input(LiveChangesInput).subscription(async function* ({ ctx, input, signal }) {
    const feed = ctx.getChangeFeed?.();
    if (!feed) throw new TRPCError({ code: 'NOT_IMPLEMENTED', message: 'Live updates are not available here' });
    const mayRead = createChangeReadFilter(await ctx.getDomain(), ctx.actor);
    const heartbeatMs = ctx.liveHeartbeatMs ?? LIVE_HEARTBEAT_MS;
    let checkedAt = Date.now();
    /** False when the stream must end (it throws when the caller is gone). */
    const callerStillHere = async (): Promise<boolean> => {
      checkedAt = Date.now();
      const verdict = await recheck(ctx);
      if (verdict === 'gone') throw signedOut();
      return verdict === 'same';
    };

    const queue: ChangeEvent[] = [];
    let overflowed = false;
    let wake: (() => void) | undefined;
    const unsubscribe = feed.subscribe((event) => {
      if (!wanted(input, event)) return;
      if (queue.length >= MAX_QUEUED) {
        queue.length = 0;
        overflowed = true;
      } else {
        queue.push(event);
      }
      wake?.();
    });
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort);

    try {
      // No history is replayed: after a reconnect the client refetches the current state.
      if (input.lastEventId) yield tracked(nextId(), { kind: 'resync', at: new Date() } as LiveEvent);
      while (!signal?.aborted) {
        if (overflowed) {
          overflowed = false;
          yield tracked(nextId(), { kind: 'resync', at: new Date() } as LiveEvent);
          continue;
        }
        const event = queue.shift();
        if (!event) {
          let timer: NodeJS.Timeout | undefined;
          const heartbeat = await new Promise<boolean>((resolve) => {
            wake = () => resolve(false);
            timer = setTimeout(() => resolve(true), heartbeatMs);
          });
          clearTimeout(timer);
          wake = undefined;
          if (heartbeat && !signal?.aborted) {
            if (!(await callerStillHere())) return;
            yield { kind: 'heartbeat', at: new Date() } as LiveEvent;
          }
          continue;
        }
        if (!(await mayRead(event))) continue;
        // After a quiet period (no heartbeat checked lately) the caller is checked before sending.
        if (Date.now() - checkedAt >= heartbeatMs && !(await callerStillHere())) return;
        yield tracked(nextId(), toLiveChange(event) as LiveEvent);
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }),
});
