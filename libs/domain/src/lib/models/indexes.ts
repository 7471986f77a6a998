export const BATCHES_COLLECTION = 'event_batches';
export const JOBS_COLLECTION = 'event_jobs';
export const WORKERS_COLLECTION = 'event_workers';
export const AUDIT_COLLECTION = 'audit_events';
export const METRIC_SAMPLES_COLLECTION = 'metric_samples';

export interface IndexSpec {
  collection:
    | typeof BATCHES_COLLECTION
    | typeof JOBS_COLLECTION
    | typeof WORKERS_COLLECTION
    | typeof AUDIT_COLLECTION
    | typeof METRIC_SAMPLES_COLLECTION;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  /** A TTL index (real MongoDB only: the embedded server ignores it, so the writer also deletes). */
  expireAfterSeconds?: number;
  /** Which query it serves; `legacy` = created by the Python side too, declared so ours match. */
  purpose: string;
}

/**
 * Every index the domain's queries rely on. The models declare exactly these, and a query-plan
 * guard can check queries against this list.
 */
export const DOMAIN_INDEXES: readonly IndexSpec[] = [
  { collection: JOBS_COLLECTION, key: { job_id: 1 }, unique: true, purpose: 'job by id (legacy)' },
  { collection: JOBS_COLLECTION, key: { status: 1, priority: -1, created_at: 1 }, purpose: 'claim: best pending job' },
  { collection: JOBS_COLLECTION, key: { batch_id: 1, status: 1, created_at: 1, _id: 1 }, purpose: 'jobs of a batch by status, keyset pages by created_at (both directions); bulk transitions' },
  { collection: JOBS_COLLECTION, key: { batch_id: 1, created_at: 1, _id: 1 }, purpose: 'jobs of a batch, keyset pages newest/oldest first' },
  { collection: JOBS_COLLECTION, key: { status: 1, 'lease.expires_at': 1 }, purpose: 'lease recovery' },
  { collection: JOBS_COLLECTION, key: { status: 1 }, purpose: 'legacy poll' },
  { collection: JOBS_COLLECTION, key: { batch_id: 1 }, purpose: 'legacy' },
  { collection: JOBS_COLLECTION, key: { created_at: 1 }, purpose: 'legacy; standalone job lists' },
  { collection: JOBS_COLLECTION, key: { user_id: 1 }, purpose: 'legacy; access filter' },
  { collection: JOBS_COLLECTION, key: { updated_at: 1 }, purpose: 'change feed polling (updated_at > last seen)' },
  { collection: JOBS_COLLECTION, key: { created_at: 1, _id: 1 }, purpose: 'all jobs, keyset pages newest/oldest first' },
  { collection: JOBS_COLLECTION, key: { status: 1, created_at: 1, _id: 1 }, purpose: 'all jobs of one status, keyset pages by created_at' },
  { collection: BATCHES_COLLECTION, key: { batch_id: 1 }, unique: true, purpose: 'batch by id (legacy)' },
  { collection: BATCHES_COLLECTION, key: { archived: 1, created_at: -1, _id: -1 }, purpose: 'batch lists (current / archived tabs), keyset pages' },
  { collection: BATCHES_COLLECTION, key: { status: 1 }, purpose: 'legacy' },
  { collection: BATCHES_COLLECTION, key: { created_at: 1 }, purpose: 'legacy' },
  { collection: BATCHES_COLLECTION, key: { user_id: 1 }, purpose: 'legacy; access filter' },
  { collection: BATCHES_COLLECTION, key: { updated_at: 1 }, purpose: 'change feed polling (updated_at > last seen)' },
  { collection: WORKERS_COLLECTION, key: { worker_id: 1 }, unique: true, purpose: 'worker by id' },
  { collection: WORKERS_COLLECTION, key: { last_seen_at: -1 }, purpose: 'recently seen workers' },
  { collection: AUDIT_COLLECTION, key: { event_id: 1 }, unique: true, purpose: 'audit event by id; a retried insert stays one event' },
  { collection: AUDIT_COLLECTION, key: { at: -1 }, purpose: 'audit page, newest first' },
  { collection: AUDIT_COLLECTION, key: { 'target.ids': 1, at: -1 }, purpose: 'batch / job timelines; audit page by object id' },
  { collection: AUDIT_COLLECTION, key: { 'actor.user_id': 1, at: -1 }, purpose: 'audit page by user' },
  { collection: AUDIT_COLLECTION, key: { action: 1, at: -1 }, purpose: 'audit page by action' },
  { collection: JOBS_COLLECTION, key: { status: 1, completed_at: -1 }, purpose: 'metrics: finished jobs in a time window (status equality, completed_at range)' },
  { collection: METRIC_SAMPLES_COLLECTION, key: { at: -1 }, expireAfterSeconds: 8 * 24 * 3600, purpose: 'metrics: queue-depth series by time; TTL after 8 days' },
];

export function indexesOf(collection: IndexSpec['collection']): IndexSpec[] {
  return DOMAIN_INDEXES.filter((index) => index.collection === collection);
}
