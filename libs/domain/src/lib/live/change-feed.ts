/**
 * One feed of "something changed" notices for jobs and batches, per server process.
 *
 * Sources:
 * - change streams (`watch()` with `fullDocument: 'updateLookup'`) on a replica set or sharded
 *   cluster: every write, deletes included, resumed from the last token after an error;
 * - polling `updated_at` (indexed) every `pollIntervalMs` with an overlap window, de-duplicated by
 *   (id, updated_at): inserts and updates, no deletes.
 *
 * `auto` uses change streams only where MongoDB guarantees them (replica set / mongos) and falls
 * back to polling when opening them fails. A standalone server, and the embedded one, get polling:
 * mongo-java-server's oplog has no entry for findAndModify, which is how claims, completions and
 * most transitions are written, and it rescans its whole oplog for every cursor. `change-stream`
 * forces change streams (tests, or a server known to support them fully).
 *
 * Events carry ids and the status only, never the document: whoever forwards them to a user
 * checks access first (see `createChangeReadFilter`). The feed keeps no state that other app
 * instances would need; each instance runs its own feed on the shared database.
 */
import type { ChangeStream, ChangeStreamDocument, Document, ResumeToken } from 'mongodb';
import type { Types } from 'mongoose';
import { canRead, type AccessSubject } from '../access/access.policy';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';

export type ChangeKind = 'job' | 'batch';
export type ChangeOp = 'insert' | 'update' | 'delete';

/** A notice that a job or batch changed; the reader refetches what it shows. */
export interface ChangeEvent {
  kind: ChangeKind;
  op: ChangeOp;
  /** job_id or batch_id */
  id: string;
  /** The batch of a job (jobs only, when it has one). */
  batch_id?: string;
  status?: string;
  /** When the change happened (server wall time, else the document's updated_at). */
  at: Date;
}

export type ChangeFeedMode = 'auto' | 'change-stream' | 'polling';
export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeFeedOptions {
  /** Default `auto`. */
  mode?: ChangeFeedMode;
  /** Polling period; default 1000 ms. */
  pollIntervalMs?: number;
  /** How far back each poll looks again (late writers, clock skew); default 2000 ms. */
  overlapMs?: number;
  /** Called for errors the feed recovers from (reconnects, failed polls); default: ignored. */
  onError?: (error: unknown, context: string) => void;
}

export interface ChangeFeedStats {
  /** The source in use; `starting` until `auto` has decided. */
  mode: 'starting' | 'change-stream' | 'polling';
  /**
   * How far behind the feed may be: polling, the age of the last complete poll; change streams,
   * the delay of the last event, or the time since the stream broke while it reconnects.
   */
  lagMs: number;
  lastEventAt: Date | null;
}

export interface ChangeFeed {
  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
  stats(): ChangeFeedStats;
}

const POLL_PAGE = 500;
const POLL_MAX_PAGES = 20;
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 30_000;
const KNOWN_IDS_MAX = 50_000;
const OPEN_QUIET_MS = 3000;

interface Source {
  kind: ChangeKind;
  idField: 'job_id' | 'batch_id';
  // Typed loosely on purpose: both models are only queried for the same few fields.
  model: DomainDeps['models']['Job'] | DomainDeps['models']['Batch'];
}

/** The fields an event is built from (the projection of a poll and of a change stream). */
interface SlimDoc {
  _id?: Types.ObjectId;
  job_id?: string;
  batch_id?: string;
  status?: string;
  created_at?: Date;
  updated_at?: Date;
}

const SLIM_FIELDS = ['_id', 'job_id', 'batch_id', 'status', 'created_at', 'updated_at'] as const;

export function createChangeFeed(deps: DomainDeps, options: ChangeFeedOptions = {}): ChangeFeed {
  const mode = options.mode ?? 'auto';
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const overlapMs = options.overlapMs ?? 2000;
  const onError = options.onError ?? (() => undefined);
  const sources: Source[] = [
    { kind: 'job', idField: 'job_id', model: deps.models.Job },
    { kind: 'batch', idField: 'batch_id', model: deps.models.Batch },
  ];

  const listeners = new Set<ChangeListener>();
  let closed = false;
  let active: ChangeFeedStats['mode'] = 'starting';
  let lastEventAt: Date | null = null;
  let lastDelayMs = 0;
  let brokenSince: number | null = null;
  let caughtUpAt = Date.now();
  const stopFns: Array<() => Promise<void> | void> = [];

  function emit(event: ChangeEvent): void {
    lastEventAt = event.at;
    lastDelayMs = Math.max(0, Date.now() - event.at.getTime());
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        onError(error, 'change feed listener');
      }
    }
  }

  // ---- polling -------------------------------------------------------------------------

  function startPolling(): void {
    active = 'polling';
    const startedAt = new Date();
    const state = sources.map((source) => ({
      source,
      lastSeen: startedAt,
      /** Keyset position when the last tick stopped at the page cap (a large bulk change). */
      resumeAt: null as { at: Date; _id: Types.ObjectId } | null,
      /** (id -> updated_at ms) already emitted inside the overlap window. */
      emitted: new Map<string, number>(),
    }));
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;

    const tick = async (): Promise<void> => {
      const tickStartedAt = Date.now();
      let complete = true;
      for (const s of state) {
        const windowStart = new Date(s.lastSeen.getTime() - overlapMs);
        let after = s.resumeAt;
        s.resumeAt = null;
        for (let page = 0; ; page++) {
          if (page === POLL_MAX_PAGES) {
            complete = false;
            break;
          }
          const filter = after
            ? { $or: [{ updated_at: { $gt: after.at } }, { updated_at: after.at, _id: { $gt: after._id } }] }
            : { updated_at: { $gte: windowStart } };
          const docs = (await (s.source.model as DomainDeps['models']['Job'])
            .find(filter, SLIM_FIELDS.join(' '))
            .sort({ updated_at: 1, _id: 1 })
            .limit(POLL_PAGE)
            .lean()) as SlimDoc[];
          for (const doc of docs) handlePolled(s, doc);
          const last = docs[docs.length - 1];
          if (docs.length < POLL_PAGE || !last?.updated_at || !last._id) break;
          after = { at: last.updated_at, _id: last._id };
          s.resumeAt = after;
        }
        if (s.resumeAt) complete = false;
        // Anything older than the next window cannot come back: forget it.
        const nextWindow = s.lastSeen.getTime() - overlapMs;
        for (const [key, at] of s.emitted) if (at < nextWindow) s.emitted.delete(key);
      }
      if (complete) caughtUpAt = tickStartedAt;
    };

    const handlePolled = (s: (typeof state)[number], doc: SlimDoc): void => {
      const id = doc[s.source.idField];
      const updatedAt = doc.updated_at;
      if (!id || !(updatedAt instanceof Date)) return;
      const at = updatedAt.getTime();
      const seen = s.emitted.get(id);
      if (seen !== undefined && seen >= at) return;
      s.emitted.set(id, at);
      if (at > s.lastSeen.getTime()) s.lastSeen = updatedAt;
      const op: ChangeOp = seen === undefined && doc.created_at?.getTime() === at ? 'insert' : 'update';
      emit(eventOf(s.source.kind, op, id, doc, updatedAt));
    };

    const schedule = (): void => {
      if (closed) return;
      timer = setTimeout(() => {
        running = tick()
          .catch((error: unknown) => onError(error, 'change feed poll'))
          .finally(() => {
            running = undefined;
            schedule();
          });
      }, pollIntervalMs);
      timer.unref?.();
    };
    schedule();
    stopFns.push(async () => {
      clearTimeout(timer);
      await running;
    });
  }

  // ---- change streams ------------------------------------------------------------------

  /** Resolves once both streams are open (true), or false when the first open failed. */
  function startChangeStreams(fallBackOnFirstError: boolean): Promise<boolean> {
    active = 'change-stream';
    // _id -> ids of documents seen, so a delete (which carries only _id) can be named.
    const known = new Map<string, { id: string; batch_id?: string }>();
    const remember = (key: unknown, value: { id: string; batch_id?: string }): void => {
      const k = String(key);
      known.delete(k);
      known.set(k, value);
      if (known.size > KNOWN_IDS_MAX) known.delete(known.keys().next().value as string);
    };

    const opened = sources.map(
      (source) =>
        new Promise<boolean>((resolveOpened) => {
          let stream: ChangeStream | undefined;
          let token: ResumeToken | undefined;
          let everOpened = false;
          let backoff = RECONNECT_FIRST_MS;
          let retry: NodeJS.Timeout | undefined;

          const pipeline: Document[] = [
            { $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } } },
            {
              $project: {
                operationType: 1,
                documentKey: 1,
                wallTime: 1,
                ...Object.fromEntries(SLIM_FIELDS.map((f) => [`fullDocument.${f}`, 1])),
                [`fullDocumentBeforeChange.${source.idField}`]: 1,
                'fullDocumentBeforeChange.batch_id': 1,
              },
            },
          ];

          const open = (): void => {
            if (closed) return;
            const current = source.model.collection.watch(pipeline, {
              fullDocument: 'updateLookup',
              // Named deletes where the collection keeps pre-images; otherwise `known` names them.
              fullDocumentBeforeChange: 'whenAvailable',
              ...(token ? { resumeAfter: token } : {}),
            });
            stream = current;
            const markOpen = (): void => {
              everOpened = true;
              brokenSince = null;
              backoff = RECONNECT_FIRST_MS;
              resolveOpened(true);
            };
            // Servers that report postBatchResumeToken announce the open stream here; the token
            // also moves past changes the pipeline filtered out, so a resume skips them.
            current.on('resumeTokenChanged', (next: ResumeToken) => {
              token = next;
              markOpen();
            });
            // Others (no postBatchResumeToken) say nothing until the first change: no error for a
            // while means the stream is open.
            const quiet = setTimeout(() => {
              if (stream === current && !closed) markOpen();
            }, OPEN_QUIET_MS);
            quiet.unref?.();
            current.on('close', () => clearTimeout(quiet));
            current.on('change', (change: ChangeStreamDocument) => {
              token = change._id;
              markOpen();
              const event = toEvent(source, change, known, remember);
              if (event) emit(event);
            });
            current.on('error', (error: unknown) => {
              clearTimeout(quiet);
              void current.close().catch(() => undefined);
              if (closed) return;
              if (!everOpened && fallBackOnFirstError) {
                resolveOpened(false);
                return;
              }
              onError(error, `change stream on ${source.model.collection.collectionName}`);
              brokenSince ??= Date.now();
              // A token the server no longer has cannot be resumed: start from now.
              if (isHistoryLost(error)) token = undefined;
              retry = setTimeout(open, backoff);
              retry.unref?.();
              backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
            });
          };
          open();
          stopFns.push(async () => {
            clearTimeout(retry);
            await stream?.close().catch(() => undefined);
          });
        }),
    );
    return Promise.all(opened).then((results) => results.every(Boolean));
  }

  // ---- start -----------------------------------------------------------------------------

  const start = async (): Promise<void> => {
    if (mode === 'polling') return startPolling();
    if (mode === 'change-stream') {
      void startChangeStreams(false);
      return;
    }
    if (!(await supportsChangeStreams(deps).catch(() => false)) || closed) {
      if (!closed) startPolling();
      return;
    }
    const ok = await startChangeStreams(true);
    if (ok || closed) return;
    // Opening failed: close what did open and poll instead.
    const streams = stopFns.splice(0);
    await Promise.all(streams.map((stop) => stop()));
    if (!closed) startPolling();
  };
  const started = start().catch((error: unknown) => onError(error, 'change feed start'));

  return {
    subscribe(listener) {
      if (closed) return () => undefined;
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await started;
      await Promise.all(stopFns.splice(0).map((stop) => stop()));
    },
    stats() {
      const now = Date.now();
      const lagMs =
        active === 'polling'
          ? Math.max(0, now - caughtUpAt)
          : active === 'change-stream'
            ? brokenSince !== null
              ? now - brokenSince
              : lastDelayMs
            : 0;
      return { mode: active, lagMs, lastEventAt };
    },
  };
}

function eventOf(kind: ChangeKind, op: ChangeOp, id: string, doc: SlimDoc | undefined, at: Date): ChangeEvent {
  const event: ChangeEvent = { kind, op, id, at };
  if (kind === 'job' && doc?.batch_id) event.batch_id = doc.batch_id;
  if (doc?.status) event.status = doc.status;
  return event;
}

function toEvent(
  source: Source,
  change: ChangeStreamDocument,
  known: Map<string, { id: string; batch_id?: string }>,
  remember: (key: unknown, value: { id: string; batch_id?: string }) => void,
): ChangeEvent | null {
  const wallTime = (change as { wallTime?: Date }).wallTime;
  if (change.operationType === 'delete') {
    const key = (change.documentKey as { _id?: unknown } | undefined)?._id;
    const before = (change as { fullDocumentBeforeChange?: SlimDoc }).fullDocumentBeforeChange;
    const beforeId = before?.[source.idField];
    const ids = beforeId ? { id: beforeId, batch_id: before?.batch_id } : known.get(String(key));
    if (!ids) return null; // a document this process never saw and the server kept no image of
    known.delete(String(key));
    return eventOf(source.kind, 'delete', ids.id, { batch_id: ids.batch_id }, wallTime ?? new Date());
  }
  if (change.operationType !== 'insert' && change.operationType !== 'update' && change.operationType !== 'replace') {
    return null;
  }
  // Deleted before the lookup: the delete event follows.
  const doc = change.fullDocument as SlimDoc | undefined;
  const id = doc?.[source.idField];
  if (!doc || !id) return null;
  // The document's own _id: mongo-java-server puts the update into documentKey of update events.
  if (doc._id) remember(doc._id, doc.batch_id ? { id, batch_id: doc.batch_id } : { id });
  const op: ChangeOp = change.operationType === 'insert' ? 'insert' : 'update';
  return eventOf(source.kind, op, id, doc, wallTime ?? doc.updated_at ?? new Date());
}

function isHistoryLost(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  // ChangeStreamHistoryLost, ChangeStreamFatalError
  return code === 286 || code === 280;
}

/** Change streams are only guaranteed on a replica set member or through mongos. */
async function supportsChangeStreams(deps: DomainDeps): Promise<boolean> {
  const admin = deps.models.Job.db.getClient().db('admin');
  // isMaster first: the embedded server knows no `hello` (and would log a stack trace for it).
  const hello = await admin.command({ isMaster: 1 }).catch(() => admin.command({ hello: 1 }));
  return typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid';
}

/**
 * Per subscriber: may this actor read the object an event is about? Looks up the access fields
 * of the batch (jobs in a batch share its access) or of a standalone job, cached for `cacheMs`,
 * so a burst of events costs one read per batch. Deleted objects are judged from the cache;
 * one never seen is shown to admins only.
 */
export function createChangeReadFilter(
  deps: DomainDeps,
  actor: Actor,
  options: { cacheMs?: number } = {},
): (event: ChangeEvent) => Promise<boolean> {
  const cacheMs = options.cacheMs ?? 5000;
  const cache = new Map<string, { subject: AccessSubject | null; until: number }>();
  const projection = { _id: 0, user_id: 1, access_control: 1 };

  const subjectOf = async (key: string, load: () => Promise<AccessSubject | null>, refresh: boolean) => {
    const hit = cache.get(key);
    const now = Date.now();
    if (hit && (hit.until > now || !refresh)) return hit.subject;
    const subject = refresh ? await load() : null;
    if (cache.size > 1000) cache.clear();
    // Keep the last known access of something deleted: its delete event is judged by it.
    if (subject || !hit) cache.set(key, { subject, until: now + cacheMs });
    return subject ?? hit?.subject ?? null;
  };

  return async (event) => {
    if (actor.role === 'admin') return true;
    const live = event.op !== 'delete';
    let subject: AccessSubject | null;
    if (event.kind === 'batch' || event.batch_id) {
      const batchId = event.kind === 'batch' ? event.id : (event.batch_id as string);
      subject = await subjectOf(
        `batch:${batchId}`,
        () => deps.models.Batch.findOne({ batch_id: batchId }, projection).lean<AccessSubject>().exec(),
        // A job's delete still has its batch to ask; a batch's delete only has the cache.
        live || event.kind === 'job',
      );
    } else {
      subject = await subjectOf(
        `job:${event.id}`,
        () => deps.models.Job.findOne({ job_id: event.id }, projection).lean<AccessSubject>().exec(),
        live,
      );
    }
    return subject !== null && canRead(actor, subject);
  };
}
