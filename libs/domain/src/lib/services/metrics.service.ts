import type { z } from 'zod';
import { readableFilter } from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { parseInput } from '../errors';
import { toBatchDto } from '../mappers/batch.mapper';
import { withShownCounters } from './shown-counters';
import type { BatchRecord } from '../models/batch.model';
import type { MetricSampleRecord } from '../models/metric-sample.model';
import { BatchProgressInput, MetricsRangeInput, type MetricsRange } from '../schemas/metrics.schema';
import { and, CURRENT_BATCH } from './load';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const RANGE_MS: Record<MetricsRange, number> = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY };
/** 60, 96 and 168 points: fine enough to see a spike, few enough for a 375 px chart. */
const BUCKET_MS: Record<MetricsRange, number> = { '1h': MINUTE, '24h': 15 * MINUTE, '7d': HOUR };

/** Percentiles are taken over at most this many of the newest completed jobs of the window. */
export const DURATION_SAMPLE_LIMIT = 10_000;
/** Queue-depth samples older than this are deleted on write (the TTL index does it on real MongoDB). */
export const METRIC_SAMPLE_RETENTION_MS = 8 * DAY;
/** Several app instances sweep the same database: a sample younger than this makes another one pointless. */
export const MIN_SAMPLE_SPACING_MS = 10_000;
const FAILURE_CODES_SHOWN = 10;
const EPOCH = new Date(0);

/** The window every time-based metric covers: [since, until], cut into buckets of `bucket_ms`. */
export interface MetricsWindow {
  range: MetricsRange;
  since: Date;
  until: Date;
  bucket_ms: number;
}

function windowOf(deps: DomainDeps, range: MetricsRange): MetricsWindow {
  const until = nowOf(deps);
  return { range, since: new Date(until.getTime() - RANGE_MS[range]), until, bucket_ms: BUCKET_MS[range] };
}

/** Bounds a date field to the window: both ends, so a stepping test clock or skewed writer cannot leak in. */
const within = (window: MetricsWindow) => ({ $gte: window.since, $lte: window.until });

/**
 * The start (ms since epoch, UTC-aligned) of the bucket a date falls into. Plain arithmetic on the
 * date's millis because the embedded server has no `$dateTrunc`; real MongoDB computes the same.
 */
function bucketOf(field: string, bucketMs: number): Record<string, unknown> {
  const millis = { $subtract: [field, EPOCH] };
  return { $subtract: [millis, { $mod: [millis, bucketMs] }] };
}

/** Every bucket start of the window, oldest first (the first one may be cut by `since`). */
function bucketStarts(window: MetricsWindow): number[] {
  const size = window.bucket_ms;
  const first = Math.floor(window.since.getTime() / size) * size;
  const starts: number[] = [];
  for (let start = first; start <= window.until.getTime(); start += size) starts.push(start);
  return starts;
}

const toMillis = (value: unknown): number => (value instanceof Date ? value.getTime() : Number(value));

// ---------------------------------------------------------------------------------------------

export interface ThroughputBucket {
  start: Date;
  completed: number;
  failed: number;
}

export interface Throughput extends MetricsWindow {
  /** Dense: every bucket of the window, zeros included, oldest first. */
  buckets: ThroughputBucket[];
  totals: { completed: number; failed: number };
}

/** Jobs finished per bucket (by `completed_at`), completed and failed, over the jobs the actor may read. */
export async function jobThroughput(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof MetricsRangeInput> = {},
): Promise<Throughput> {
  const { range } = parseInput(MetricsRangeInput, raw);
  const window = windowOf(deps, range);
  const rows = await deps.models.Job.aggregate<{ _id: unknown; completed: number; failed: number }>([
    { $match: and({ status: { $in: ['completed', 'failed'] }, completed_at: within(window) }, readableFilter(actor)) },
    {
      $group: {
        _id: bucketOf('$completed_at', window.bucket_ms),
        completed: { $sum: { $cond: [{ $eq: ['$status', 'completed'] }, 1, 0] } },
        failed: { $sum: { $cond: [{ $eq: ['$status', 'failed'] }, 1, 0] } },
      },
    },
  ]);
  const byStart = new Map(rows.map((row) => [toMillis(row._id), row]));
  const buckets = bucketStarts(window).map((start) => {
    const row = byStart.get(start);
    return { start: new Date(start), completed: row?.completed ?? 0, failed: row?.failed ?? 0 };
  });
  const totals = buckets.reduce(
    (sum, bucket) => ({ completed: sum.completed + bucket.completed, failed: sum.failed + bucket.failed }),
    { completed: 0, failed: 0 },
  );
  return { ...window, buckets, totals };
}

// ---------------------------------------------------------------------------------------------

export interface DurationPercentiles extends MetricsWindow {
  /** Completed jobs the percentiles are taken over (the newest, at most `sample_limit`). */
  sample_size: number;
  sample_limit: number;
  /** Processing time (completed_at - processing_started_at) in ms; null without data. */
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
  mean_ms: number | null;
  max_ms: number | null;
}

/** The rank (0-based) of percentile p among n sorted values: nearest-rank, ceil(p * n) - 1. */
const rankOf = (p: number) => ({ $max: [0, { $subtract: [{ $ceil: { $multiply: [p, '$n'] } }, 1] }] });

/**
 * p50/p90/p99 processing time of the jobs completed in the window, nearest-rank over a bounded
 * sample (the newest DURATION_SAMPLE_LIMIT), sorted and ranked in one aggregation (no `$percentile`
 * on the embedded server).
 */
export async function durationPercentiles(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof MetricsRangeInput> = {},
): Promise<DurationPercentiles> {
  const { range } = parseInput(MetricsRangeInput, raw);
  const window = windowOf(deps, range);
  const [row] = await deps.models.Job.aggregate<{ n: number; mean: number; p50: number; p90: number; p99: number; max: number }>([
    {
      $match: and(
        { status: 'completed', completed_at: within(window), processing_started_at: { $type: 'date' } },
        readableFilter(actor),
      ),
    },
    { $sort: { completed_at: -1 } },
    { $limit: DURATION_SAMPLE_LIMIT },
    { $project: { _id: 0, d: { $subtract: ['$completed_at', '$processing_started_at'] } } },
    // A worker clock behind ours would give negative durations: not a processing time.
    { $match: { d: { $gte: 0 } } },
    { $sort: { d: 1 } },
    { $group: { _id: null, d: { $push: '$d' }, n: { $sum: 1 }, mean: { $avg: '$d' } } },
    {
      $project: {
        _id: 0,
        n: 1,
        mean: 1,
        p50: { $arrayElemAt: ['$d', rankOf(0.5)] },
        p90: { $arrayElemAt: ['$d', rankOf(0.9)] },
        p99: { $arrayElemAt: ['$d', rankOf(0.99)] },
        max: { $arrayElemAt: ['$d', -1] },
      },
    },
  ]);
  const ms = (value: number | undefined): number | null => (row && typeof value === 'number' ? Math.round(value) : null);
  return {
    ...window,
    sample_size: row?.n ?? 0,
    sample_limit: DURATION_SAMPLE_LIMIT,
    p50_ms: ms(row?.p50),
    p90_ms: ms(row?.p90),
    p99_ms: ms(row?.p99),
    mean_ms: ms(row?.mean),
    max_ms: ms(row?.max),
  };
}

// ---------------------------------------------------------------------------------------------

export interface FailureCodeCount {
  code: string;
  count: number;
}

export interface FailuresByCode extends MetricsWindow {
  /** The most frequent codes, most first (ties by code), at most 10. */
  codes: FailureCodeCount[];
  /** Every failure of the window, including those of codes not listed. */
  total: number;
}

/** Jobs failed in the window grouped by `error.code` (UNKNOWN when the writer left none). */
export async function failuresByCode(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof MetricsRangeInput> = {},
): Promise<FailuresByCode> {
  const { range } = parseInput(MetricsRangeInput, raw);
  const window = windowOf(deps, range);
  const [row] = await deps.models.Job.aggregate<{ codes: { _id: unknown; count: number }[]; total: { n: number }[] }>([
    { $match: and({ status: 'failed', completed_at: within(window) }, readableFilter(actor)) },
    { $group: { _id: { $ifNull: ['$error.code', 'UNKNOWN'] }, count: { $sum: 1 } } },
    {
      $facet: {
        codes: [{ $sort: { count: -1, _id: 1 } }, { $limit: FAILURE_CODES_SHOWN }],
        total: [{ $group: { _id: null, n: { $sum: '$count' } } }],
      },
    },
  ]);
  return {
    ...window,
    codes: (row?.codes ?? []).map(({ _id, count }) => ({ code: String(_id), count })),
    total: row?.total[0]?.n ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------

export interface BatchProgressItem {
  batch_id: string;
  batch_name: string;
  status: string;
  isActive: boolean;
  created_at: Date;
  total_jobs: number;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
}

export interface BatchProgressList {
  batches: BatchProgressItem[];
  limit: number;
}

/** The newest current (not archived) batches the actor may read, with their stored counters (impossible ones recounted). */
export async function batchProgress(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof BatchProgressInput> = {},
): Promise<BatchProgressList> {
  const { limit } = parseInput(BatchProgressInput, raw);
  const records = await deps.models.Batch.find(and(CURRENT_BATCH, readableFilter(actor)), {
    batch_id: 1,
    batch_name: 1,
    status: 1,
    isActive: 1,
    created_at: 1,
    updated_at: 1,
    user_id: 1,
    access_control: 1,
    total_jobs: 1,
    pending_jobs: 1,
    processing_jobs: 1,
    completed_jobs: 1,
    failed_jobs: 1,
  })
    .sort({ created_at: -1, _id: -1 })
    .limit(limit)
    .lean<BatchRecord[]>();
  const batches = (await withShownCounters(deps, records)).map((record) => {
    const dto = toBatchDto(record);
    return {
      batch_id: dto.batch_id,
      batch_name: dto.batch_name,
      status: dto.status,
      isActive: dto.isActive,
      created_at: dto.created_at,
      total_jobs: dto.total_jobs,
      pending_jobs: dto.pending_jobs,
      processing_jobs: dto.processing_jobs,
      completed_jobs: dto.completed_jobs,
      failed_jobs: dto.failed_jobs,
    };
  });
  return { batches, limit };
}

// ---------------------------------------------------------------------------------------------

export interface QueueDepthSample {
  at: Date;
  pending: number;
  processing: number;
}

/**
 * Counts pending and processing jobs (one aggregation; on real MongoDB a scan of the `status` index
 * over the queue only, never over finished jobs) and stores the reading. Deletes readings older than
 * 8 days on the way (the embedded server ignores TTL indexes). Returns null, writing nothing, when
 * another instance sampled less than MIN_SAMPLE_SPACING_MS ago.
 */
export async function sampleQueueDepth(deps: DomainDeps): Promise<QueueDepthSample | null> {
  const now = nowOf(deps);
  const recent = await deps.models.MetricSample.findOne(
    { at: { $gt: new Date(now.getTime() - MIN_SAMPLE_SPACING_MS), $lte: now } },
    { _id: 1 },
  ).lean();
  if (recent) return null;
  const rows = await deps.models.Job.aggregate<{ _id: string; n: number }>([
    { $match: { status: { $in: ['pending', 'processing'] } } },
    { $group: { _id: '$status', n: { $sum: 1 } } },
  ]);
  const count = (status: string): number => rows.find((row) => row._id === status)?.n ?? 0;
  const sample: MetricSampleRecord = { at: now, pending: count('pending'), processing: count('processing') };
  await deps.models.MetricSample.insertMany([sample]);
  await deps.models.MetricSample.deleteMany({ at: { $lt: new Date(now.getTime() - METRIC_SAMPLE_RETENTION_MS) } });
  return { at: sample.at, pending: sample.pending, processing: sample.processing };
}

export interface QueueDepthPoint {
  start: Date;
  /** The highest reading of the bucket (a queue that built up and drained within it still shows); null: no reading. */
  pending: number | null;
  processing: number | null;
}

export interface QueueDepthSeries extends MetricsWindow {
  /** Dense: every bucket of the window, oldest first; buckets without readings have nulls (gaps). */
  points: QueueDepthPoint[];
  /** The newest reading of the window. */
  latest: QueueDepthSample | null;
}

/**
 * The stored queue-depth readings of the window, bucketed like the throughput. Counts over every job
 * (the queue is shared): not filtered by the reader's access, and only totals are shown.
 */
export async function queueDepthSeries(deps: DomainDeps, raw: z.input<typeof MetricsRangeInput> = {}): Promise<QueueDepthSeries> {
  const { range } = parseInput(MetricsRangeInput, raw);
  const window = windowOf(deps, range);
  const [rows, latest] = await Promise.all([
    deps.models.MetricSample.aggregate<{ _id: unknown; pending: number; processing: number }>([
      { $match: { at: within(window) } },
      {
        $group: {
          _id: bucketOf('$at', window.bucket_ms),
          pending: { $max: '$pending' },
          processing: { $max: '$processing' },
        },
      },
    ]),
    deps.models.MetricSample.findOne({ at: within(window) }, { _id: 0, at: 1, pending: 1, processing: 1 })
      .sort({ at: -1 })
      .lean<MetricSampleRecord>(),
  ]);
  const byStart = new Map(rows.map((row) => [toMillis(row._id), row]));
  const points = bucketStarts(window).map((start) => {
    const row = byStart.get(start);
    return { start: new Date(start), pending: row?.pending ?? null, processing: row?.processing ?? null };
  });
  return {
    ...window,
    points,
    latest: latest ? { at: latest.at, pending: latest.pending, processing: latest.processing } : null,
  };
}
