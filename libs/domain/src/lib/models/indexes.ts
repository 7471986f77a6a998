import { ACCESS_FILTER_FIELDS } from '../access/access.policy';

export const BATCHES_COLLECTION = 'event_batches';
export const JOBS_COLLECTION = 'event_jobs';
export const WORKERS_COLLECTION = 'event_workers';
export const AUDIT_COLLECTION = 'audit_events';
export const METRIC_SAMPLES_COLLECTION = 'metric_samples';
export const IDEMPOTENCY_KEYS_COLLECTION = 'idempotency_keys';
export const JOB_TYPE_FLOW_COLLECTION = 'job_type_flow';
/** Installation settings, one document per area by `_id` (retention); ours only. */
export const APP_SETTINGS_COLLECTION = 'app_settings';
/** The progress of bulk changes started with a `run_id`, kept a day; ours only. */
export const BULK_RUNS_COLLECTION = 'bulk_runs';
/** Notification subscriptions (webhooks, e-mail) of users; ours only. */
export const NOTIFICATION_SUBSCRIPTIONS_COLLECTION = 'notification_subscriptions';
/** Notification deliveries and their tries (the delivery log), kept 30 days; ours only. */
export const NOTIFICATION_DELIVERIES_COLLECTION = 'notification_deliveries';

export interface IndexSpec {
  collection:
    | typeof BATCHES_COLLECTION
    | typeof JOBS_COLLECTION
    | typeof WORKERS_COLLECTION
    | typeof AUDIT_COLLECTION
    | typeof METRIC_SAMPLES_COLLECTION
    | typeof IDEMPOTENCY_KEYS_COLLECTION
    | typeof JOB_TYPE_FLOW_COLLECTION
    | typeof APP_SETTINGS_COLLECTION
    | typeof BULK_RUNS_COLLECTION
    | typeof NOTIFICATION_SUBSCRIPTIONS_COLLECTION
    | typeof NOTIFICATION_DELIVERIES_COLLECTION;
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
  {
    collection: JOBS_COLLECTION,
    key: { status: 1, job_type: 1, priority: -1, created_at: 1 },
    purpose: 'claim of a worker that takes only some job types (the scans of its types merged in claim order)',
  },
  { collection: JOBS_COLLECTION, key: { batch_id: 1, status: 1, created_at: 1, _id: 1 }, purpose: 'jobs of a batch by status, keyset pages by created_at (both directions); bulk transitions' },
  { collection: JOBS_COLLECTION, key: { batch_id: 1, created_at: 1, _id: 1 }, purpose: 'jobs of a batch, keyset pages newest/oldest first (_id breaks ties)' },
  { collection: JOBS_COLLECTION, key: { status: 1, 'lease.expires_at': 1 }, purpose: 'lease recovery' },
  { collection: JOBS_COLLECTION, key: { status: 1 }, purpose: 'legacy poll' },
  { collection: JOBS_COLLECTION, key: { batch_id: 1 }, purpose: 'legacy' },
  { collection: JOBS_COLLECTION, key: { created_at: 1 }, purpose: 'legacy; standalone job lists' },
  { collection: JOBS_COLLECTION, key: { user_id: 1 }, purpose: 'legacy; access filter' },
  { collection: JOBS_COLLECTION, key: { updated_at: 1, _id: 1 }, purpose: 'change feed polling (updated_at, _id after the last seen)' },
  { collection: JOBS_COLLECTION, key: { created_at: 1, _id: 1 }, purpose: 'all jobs, keyset pages newest/oldest first' },
  { collection: JOBS_COLLECTION, key: { status: 1, created_at: 1, _id: 1 }, purpose: 'all jobs of one status, keyset pages by created_at' },
  { collection: JOBS_COLLECTION, key: { 'results.markdown_file': 1 }, purpose: 'files route: the job owning a markdown file or a file under its directory' },
  { collection: JOBS_COLLECTION, key: { 'results.assets': 1 }, purpose: 'files route: the job owning an asset' },
  { collection: JOBS_COLLECTION, key: { result_files: 1 }, purpose: 'files route: the jobs naming a file (recorded at completion); another user\'s file at completion' },
  {
    collection: JOBS_COLLECTION,
    key: { search_terms: 1 },
    purpose: 'job search: each query word is an anchored regex, a range of this multikey index (on MongoDB and the embedded server; see the readPage exception)',
  },
  { collection: BATCHES_COLLECTION, key: { batch_id: 1 }, unique: true, purpose: 'batch by id (legacy)' },
  { collection: BATCHES_COLLECTION, key: { archived: 1, created_at: -1, _id: -1 }, purpose: 'batch lists (current / archived tabs), keyset pages newest first' },
  { collection: BATCHES_COLLECTION, key: { archived: 1, status: 1, created_at: -1, _id: -1 }, purpose: 'batch lists filtered by status' },
  { collection: BATCHES_COLLECTION, key: { status: 1 }, purpose: 'legacy' },
  { collection: BATCHES_COLLECTION, key: { created_at: 1 }, purpose: 'legacy' },
  { collection: BATCHES_COLLECTION, key: { user_id: 1 }, purpose: 'legacy; access filter' },
  { collection: BATCHES_COLLECTION, key: { updated_at: 1, _id: 1 }, purpose: 'change feed polling; recount of the recently changed batches' },
  { collection: BATCHES_COLLECTION, key: { isActive: 1 }, purpose: 'paused batches: the sweep copies isActive to their jobs (the legacy toggle writes the batch only)' },
  { collection: BATCHES_COLLECTION, key: { not_before: 1 }, purpose: 'batches whose start is to come: the sweep copies not_before to their jobs (legacy writers add jobs without it)' },
  { collection: WORKERS_COLLECTION, key: { worker_id: 1 }, unique: true, purpose: 'worker by id' },
  { collection: WORKERS_COLLECTION, key: { last_seen_at: -1 }, purpose: 'recently seen workers' },
  { collection: AUDIT_COLLECTION, key: { event_id: 1 }, unique: true, purpose: 'audit event by id; a retried insert stays one event' },
  { collection: AUDIT_COLLECTION, key: { at: -1 }, purpose: 'audit page, newest first' },
  { collection: AUDIT_COLLECTION, key: { 'target.ids': 1, at: -1 }, purpose: 'batch / job timelines; audit page by object id' },
  { collection: AUDIT_COLLECTION, key: { 'details.batch_id': 1, at: -1 }, purpose: "a batch's timeline: the events of its jobs (restart, cancel, delete, edit, language)" },
  { collection: AUDIT_COLLECTION, key: { 'actor.user_id': 1, at: -1 }, purpose: 'audit page by user' },
  { collection: AUDIT_COLLECTION, key: { action: 1, at: -1 }, purpose: 'audit page by action' },
  { collection: JOBS_COLLECTION, key: { status: 1, completed_at: -1 }, purpose: 'metrics: finished jobs in a time window (status equality, completed_at range)' },
  {
    collection: JOBS_COLLECTION,
    key: { status: 1, error_signature: 1, created_at: 1, _id: 1 },
    purpose: 'failure triage: failures grouped by signature, the failed jobs of one signature in keyset pages, the legacy failures without one',
  },
  { collection: METRIC_SAMPLES_COLLECTION, key: { at: -1 }, expireAfterSeconds: 8 * 24 * 3600, purpose: 'metrics: queue-depth series by time; TTL after 8 days' },
  {
    collection: IDEMPOTENCY_KEYS_COLLECTION,
    key: { principal: 1, operation: 1, key: 1 },
    unique: true,
    purpose: 'idempotent creation: one key per principal and operation (the insert that reserves it fails for a second request)',
  },
  { collection: IDEMPOTENCY_KEYS_COLLECTION, key: { expires_at: 1 }, purpose: 'the maintenance sweep deletes expired keys (the embedded server has no TTL)' },
  { collection: JOB_TYPE_FLOW_COLLECTION, key: { job_type: 1 }, unique: true, purpose: 'flow control (pause, limits) of one job type' },
  { collection: BULK_RUNS_COLLECTION, key: { updated_at: 1 }, purpose: 'the maintenance sweep deletes bulk runs older than a day (by _id = owner + run_id otherwise)' },
  { collection: BATCHES_COLLECTION, key: { deadline: 1 }, purpose: 'notifications: the batches with a deadline, whose risk the sweep checks' },
  { collection: NOTIFICATION_SUBSCRIPTIONS_COLLECTION, key: { subscription_id: 1 }, unique: true, purpose: 'subscription by id' },
  { collection: NOTIFICATION_SUBSCRIPTIONS_COLLECTION, key: { owner_id: 1, created_at: 1 }, purpose: "a user's subscriptions" },
  {
    collection: NOTIFICATION_DELIVERIES_COLLECTION,
    key: { subscription_id: 1, key: 1 },
    unique: true,
    purpose: 'one delivery per event and subscription: a second detection of the same event inserts nothing',
  },
  { collection: NOTIFICATION_DELIVERIES_COLLECTION, key: { delivery_id: 1 }, unique: true, purpose: 'delivery by id' },
  { collection: NOTIFICATION_DELIVERIES_COLLECTION, key: { state: 1, next_attempt_at: 1 }, purpose: 'the sender: due deliveries, oldest first' },
  { collection: NOTIFICATION_DELIVERIES_COLLECTION, key: { subscription_id: 1, created_at: -1 }, purpose: "a subscription's delivery log, newest first" },
  { collection: NOTIFICATION_DELIVERIES_COLLECTION, key: { created_at: 1 }, purpose: 'the sweep deletes deliveries older than 30 days' },
];

export function indexesOf(collection: IndexSpec['collection']): IndexSpec[] {
  return DOMAIN_INDEXES.filter((index) => index.collection === collection);
}

/** Queries on event_jobs / event_batches allowed without a serving index, and why. */
export interface QueryPlanException {
  /** The exception applies only when the filter binds this field by equality (one bounded index range). */
  boundedBy?: string;
  collection: typeof JOBS_COLLECTION | typeof BATCHES_COLLECTION;
  kind?: 'find' | 'findAndModify' | 'update' | 'delete' | 'count' | 'distinct' | 'aggregate';
  /** The filter shape exactly as the query plan guard prints it; omitted: any shape (then `origin` is required). */
  filter?: string;
  /** The sort as the guard prints it; omitted: any. */
  sort?: string;
  /** The function the query comes from, as the guard prints it under "from"; omitted: anywhere. */
  origin?: string;
  /** The exception applies only when the filter without these fields is index-served (they filter that walk). */
  residual?: readonly string[];
  reason: string;
}

const ACCESS_ONLY = '{"$or":"<access>"}';

/**
 * Deliberate exceptions to the query plan guard (libs/testing/src/query-plan). Each one is a query
 * that is not served by an index under the equality-sort-range rule and is acceptable anyway.
 * Prefer a better query or index to a new entry here.
 */
export const QUERY_PLAN_EXCEPTIONS: readonly QueryPlanException[] = [
  {
    collection: BATCHES_COLLECTION,
    kind: 'aggregate',
    filter: '{}',
    origin: 'batchStats',
    reason:
      'Dashboard numbers: one pass over every batch the reader may see, by design (counts per status, archived, active, ' +
      'and the sums of the stored job counters). Batches are few next to jobs; event_jobs is never scanned for it.',
  },
  {
    collection: BATCHES_COLLECTION,
    kind: 'aggregate',
    filter: ACCESS_ONLY,
    origin: 'batchStats',
    reason: 'The same dashboard pass for a non-admin: every batch is read and the access clause filters them.',
  },
  {
    collection: JOBS_COLLECTION,
    kind: 'find',
    origin: 'listStaleLeases',
    sort: '{"updated_at":1}',
    reason:
      "status 'processing' bounds the scan (status index) to the jobs being worked on: one per live worker plus the " +
      'leases the sweep has not recovered yet. Sorting those few by updated_at in memory is cheaper than an index on ' +
      '{status, updated_at}, which every heartbeat, progress and log call would rewrite.',
  },
  {
    collection: JOBS_COLLECTION,
    kind: 'aggregate',
    origin: 'boundedCount',
    reason:
      'The total of a job list that neither one batch\'s counters nor an index range answers (all jobs, a search): ' +
      'countDocuments with limit COUNT_CAP (10,000) stops after that many matches. For a reader who sees few of many ' +
      'jobs it can still read the collection to the end; the list page itself is index-served.',
  },
  {
    collection: BATCHES_COLLECTION,
    kind: 'aggregate',
    origin: 'boundedCount',
    reason: 'The batch list total, counted up to COUNT_CAP (10,000) matches and then reported as "10,000+".',
  },
  ...(['runBulk', 'previewBulk'] as const).map(
    (origin): QueryPlanException => ({
      collection: JOBS_COLLECTION,
      kind: origin === 'runBulk' ? 'find' : 'aggregate',
      origin,
      reason:
        'The selection of a bulk action (bulk.service): always bounded by job_ids ({job_id} unique), batch_ids ({batch_id}, ' +
        'at most 10,000 jobs per batch) or, when neither is named, the caller\'s own jobs ({user_id}); status, error code, ' +
        'job type, language and search are checked on the fetched jobs. A rare operator action, capped at MAX_BULK_JOBS; ' +
        'an index per filter combination would slow every job write.',
    }),
  ),
  {
    collection: JOBS_COLLECTION,
    kind: 'aggregate',
    origin: 'failureGroups',
    reason:
      'Failure groups (failure.service): the failed jobs are one index range ({status, error_signature, ...}, or ' +
      '{batch_id, status, ...} for one batch) grouped in the database; a batch together with the signature range, or an ' +
      'error code (not indexed: a filter of the view, not of the claim), is checked on the fetched failed jobs. Grouping ' +
      'reads every failed job of the range by design; an index per filter combination would slow every job write.',
  },
  {
    collection: JOBS_COLLECTION,
    kind: 'find',
    origin: 'readPage',
    residual: ['search_terms', 'job_type', 'parameters.target_language', 'user_id'],
    reason:
      'The global job list (jobs page, GET /jobs): its search words, type, language and owner are checked on the jobs of ' +
      'an index-served walk in created_at order (all jobs, one status, one batch, a time range) that the page limit ' +
      'stops. A word is also a range of {search_terms: 1}, which MongoDB and the embedded server pick for a rare word; an index per ' +
      'filter combination would slow every job write. A rare match deep in a large collection reads far: see ' +
      'docs/performance.md (search).',
  },
  ...(['job_name', 'status', 'priority', 'updated_at'] as const).flatMap((field) =>
    ([1, -1] as const).map(
      (direction): QueryPlanException => ({
        collection: JOBS_COLLECTION,
        kind: 'find',
        origin: 'readPage',
        boundedBy: 'batch_id',
        sort: JSON.stringify({ [field]: direction, _id: direction }),
        reason:
          `The job table of one batch sorted by ${field}: the batch_id range (at most 10,000 jobs, the batch limit) is ` +
          'sorted in memory. An index per sortable column would slow every job write for a rarely used order.',
      }),
    ),
  ),
];

/** What the integration suites' query plan guard checks against (see each project's jest setup file). */
export const QUERY_PLAN_GUARD = {
  indexes: DOMAIN_INDEXES,
  exceptions: QUERY_PLAN_EXCEPTIONS,
  accessFields: ACCESS_FILTER_FIELDS,
} as const;
