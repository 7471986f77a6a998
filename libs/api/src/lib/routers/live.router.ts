import { randomBytes } from 'node:crypto';
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { BatchId, createChangeReadFilter, JobId, type ChangeEvent } from '@event-monitor/domain';
import { readProcedure, router } from '../trpc';

/** A comment line every 15 s would do for proxies; an event also tells the client the stream is alive. */
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
            timer = setTimeout(() => resolve(true), LIVE_HEARTBEAT_MS);
          });
          clearTimeout(timer);
          wake = undefined;
          if (heartbeat && !signal?.aborted) yield { kind: 'heartbeat', at: new Date() } as LiveEvent;
          continue;
        }
        if (await mayRead(event)) yield tracked(nextId(), toLiveChange(event) as LiveEvent);
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }),
});
