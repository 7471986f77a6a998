/**
 * Which change-feed events the page has already seen. A mutation refetches what it changed at
 * once; a moment later the change feed reports the same writes (its echo), and refetching again
 * for them is a second, useless round trip. An event is seen when every shown query that holds or
 * could hold its job or batch holds it, at least as new as the write: `updated_at` is stamped by
 * the server on every write and the polling feed reports it as the event's `at`, so both times
 * come from the same clock.
 *
 * Everything else refetches, as before: a job or batch a shown list lacks (it may have just
 * entered the list's filter or page), an older copy, and every change-stream event (its `at` is
 * the database's wall time, later than the document's own stamp). Outside the echo window of the
 * page's own mutations every burst refetches as it always did: a lagging feed then still gets the
 * newest state from a refetch that an earlier event started (a worker's run of writes).
 */

/** One change as the live subscription sends it (ids and status only). */
export interface FeedChange {
  kind: 'job' | 'batch';
  op: 'insert' | 'update' | 'delete';
  id: string;
  batch_id?: string;
  at: Date;
}

/** An active query of the page: its tRPC path (`['job', 'list']`), input and data. */
export interface ShownQuery {
  path: readonly string[];
  input: unknown;
  data: unknown;
}

/** One shown query of jobs or batches: what it may hold and the `updated_at` of what it holds. */
interface ShownView {
  kind: FeedChange['kind'];
  /** A list holds any object of its scope: the jobs of one batch, or every batch (`*`). */
  scope: { list: true; batchId: string | '*' } | { list: false; id: string };
  versions: Map<string, number>;
}

interface Versioned {
  updated_at?: Date | string;
}

function versionsOf<T extends Versioned>(records: readonly T[], idOf: (record: T) => string): Map<string, number> {
  return new Map(
    records.map((record) => [
      idOf(record),
      record.updated_at === undefined ? Number.NEGATIVE_INFINITY : new Date(record.updated_at).getTime(),
    ]),
  );
}

type JobRecord = Versioned & { job_id: string };
type BatchRecord = Versioned & { batch_id: string };

/** The job and batch queries among the page's active queries (others are not about feed objects). */
export function shownViews(queries: readonly ShownQuery[]): ShownView[] {
  const views: ShownView[] = [];
  for (const { path, input, data } of queries) {
    const name = path.join('.');
    if (name === 'job.list') {
      const batchId = (input as { batch_id?: string } | undefined)?.batch_id ?? '*';
      const jobs = (data as { jobs?: JobRecord[] } | undefined)?.jobs ?? [];
      views.push({ kind: 'job', scope: { list: true, batchId }, versions: versionsOf(jobs, (job) => job.job_id) });
    } else if (name === 'job.get') {
      const id = (input as { job_id?: string } | undefined)?.job_id ?? '';
      const jobs = data ? [data as JobRecord] : [];
      views.push({ kind: 'job', scope: { list: false, id }, versions: versionsOf(jobs, (job) => job.job_id) });
    } else if (name === 'batch.list') {
      const batches = (data as { batches?: BatchRecord[] } | undefined)?.batches ?? [];
      views.push({ kind: 'batch', scope: { list: true, batchId: '*' }, versions: versionsOf(batches, (b) => b.batch_id) });
    } else if (name === 'batch.get') {
      const id = (input as { batch_id?: string } | undefined)?.batch_id ?? '';
      const batches = data ? [data as BatchRecord] : [];
      views.push({ kind: 'batch', scope: { list: false, id }, versions: versionsOf(batches, (b) => b.batch_id) });
    }
  }
  return views;
}

function concerns(view: ShownView, change: FeedChange): boolean {
  if (view.kind !== change.kind) return false;
  if (!view.scope.list) return view.scope.id === change.id;
  if (view.scope.batchId === '*') return true;
  return change.kind === 'job' && change.batch_id === view.scope.batchId;
}

/** True when no shown query needs a refetch for this change. */
export function isSeen(change: FeedChange, views: readonly ShownView[]): boolean {
  return views
    .filter((view) => concerns(view, change))
    .every((view) => {
      const shown = view.versions.get(change.id);
      if (change.op === 'delete') return shown === undefined;
      return shown !== undefined && shown >= change.at.getTime();
    });
}

/** How long after the page's own mutation started its echo may still come from the feed. */
export const ECHO_WINDOW_MS = 10_000;

/**
 * Whether a burst of feed events must refetch: always, unless the page's own mutation started
 * within ECHO_WINDOW_MS (`msSinceOwnMutation`) and it shows every change of the burst already.
 */
export function burstNeedsRefetch(
  burst: readonly (FeedChange | 'resync')[],
  views: readonly ShownView[],
  msSinceOwnMutation: number | undefined,
): boolean {
  if (msSinceOwnMutation === undefined || msSinceOwnMutation > ECHO_WINDOW_MS) return true;
  return burst.some((change) => change === 'resync' || !isSeen(change, views));
}
