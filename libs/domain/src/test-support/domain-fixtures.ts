import type { Connection } from 'mongoose';
import type { Actor } from '../lib/actor';
import type { DomainDeps } from '../lib/context';
import { createDomainModels, ensureIndexes } from '../lib/models/domain-models';
import { isJobStatus, isLogLevel, type JobParametersInput } from '@event-monitor/contracts';
import { reconcileBatch } from '../lib/services/batch-counters';
import type { z } from 'zod';

export const actors = {
  admin: { userId: 'adam', role: 'admin' },
  owner: { userId: 'olga', role: 'operator' },
  other: { userId: 'otto', role: 'operator' },
  reader: { userId: 'rita', role: 'operator' },
  writer: { userId: 'walt', role: 'operator' },
  viewer: { userId: 'vera', role: 'viewer' },
} satisfies Record<string, Actor>;

export async function domainDeps(connection: Connection, now?: () => Date): Promise<DomainDeps> {
  const models = createDomainModels(connection);
  await ensureIndexes(models);
  return now ? { models, now } : { models };
}

export function params(overrides: Partial<z.input<typeof JobParametersInput>> = {}): z.input<typeof JobParametersInput> {
  return {
    event: 'FOSDEM 2025',
    session: 'Opening',
    track: 'Main',
    url: 'https://example.org/talk',
    video_url: 'https://example.org/video.mp4',
    speakers: ['Ada'],
    ...overrides,
  };
}

export function jobsInput(n: number, overrides: Partial<z.input<typeof JobParametersInput>> = {}) {
  return Array.from({ length: n }, (_, i) => ({ parameters: params({ session: `Session ${i}`, ...overrides }) }));
}

const NO_NULL_FIELDS = ['progress', 'error', 'results', 'parameters', 'access_control'];

/**
 * What the Python reader needs from a document (legacy-system.md): status enum, no null in the
 * objects it calls `.get` on, integer percent 0..100, known log levels. Returns the problems.
 */
export function legacyReaderCheck(doc: Record<string, unknown>, kind: 'job' | 'batch'): string[] {
  const problems: string[] = [];
  const id = String(doc[kind === 'job' ? 'job_id' : 'batch_id']);
  if (!isJobStatus(doc['status'])) problems.push(`${id}: status ${String(doc['status'])}`);
  for (const field of NO_NULL_FIELDS) {
    if (field in doc && (doc[field] === null || typeof doc[field] !== 'object')) problems.push(`${id}: ${field} is ${String(doc[field])}`);
  }
  if (kind === 'job') {
    const progress = doc['progress'] as { percent?: unknown; step?: unknown } | undefined;
    if (progress && typeof progress === 'object') {
      const p = progress.percent;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100) problems.push(`${id}: percent ${String(p)}`);
      if (typeof progress.step !== 'string') problems.push(`${id}: progress.step ${String(progress.step)}`);
    }
    for (const key of ['logs', 'log_entries']) {
      const lines = doc[key];
      if (lines === undefined) continue;
      if (!Array.isArray(lines)) {
        problems.push(`${id}: ${key} is not a list`);
        continue;
      }
      for (const line of lines as { level?: unknown }[]) {
        if (!isLogLevel(line?.level)) problems.push(`${id}: log level ${String(line?.level)}`);
      }
    }
    const error = doc['error'] as { code?: unknown; message?: unknown } | undefined;
    if (error && (typeof error.code !== 'string' || typeof error.message !== 'string')) problems.push(`${id}: error without code/message`);
    if (!(doc['created_at'] instanceof Date)) problems.push(`${id}: created_at not a date`);
    if (typeof doc['parameters'] !== 'object') problems.push(`${id}: parameters missing`);
  } else {
    const acl = doc['access_control'] as Record<string, unknown> | undefined;
    if (acl && !['private', 'public'].includes(acl['visibility'] as string)) problems.push(`${id}: visibility ${String(acl['visibility'])}`);
  }
  return problems;
}

/** Paths holding null or undefined anywhere in a document this lib wrote. */
export function nullPaths(value: unknown, path = ''): string[] {
  if (value === null || value === undefined) return [path || '(root)'];
  if (value instanceof Date || typeof value !== 'object') return [];
  if ((value as { _bsontype?: string })._bsontype) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([key, v]) => nullPaths(v, path ? `${path}.${key}` : key));
}

/**
 * Every document in both collections passes the legacy reader check; documents not in
 * `legacyIds` (i.e. written by this lib) have no null anywhere and no `__v`.
 */
export async function checkAllDocuments(deps: DomainDeps, legacyIds: ReadonlySet<string> = new Set()): Promise<string[]> {
  const problems: string[] = [];
  const jobs = await deps.models.Job.collection.find({}).toArray();
  const batches = await deps.models.Batch.collection.find({}).toArray();
  for (const job of jobs) {
    problems.push(...legacyReaderCheck(job, 'job'));
    if (!legacyIds.has(job['job_id'] as string)) {
      problems.push(...nullPaths(job).map((p) => `${String(job['job_id'])}: null at ${p}`));
      if ('__v' in job) problems.push(`${String(job['job_id'])}: __v`);
    }
  }
  for (const batch of batches) {
    problems.push(...legacyReaderCheck(batch, 'batch'));
    if (!legacyIds.has(batch['batch_id'] as string)) {
      problems.push(...nullPaths(batch).map((p) => `${String(batch['batch_id'])}: null at ${p}`));
      if ('__v' in batch) problems.push(`${String(batch['batch_id'])}: __v`);
    }
  }
  return problems;
}

/** Stored counters and status of every batch versus a recount (reconcileBatch reports, we compare). */
export async function counterDrift(deps: DomainDeps): Promise<string[]> {
  const drift: string[] = [];
  const batches = await deps.models.Batch.find({}, { batch_id: 1 }).lean();
  for (const { batch_id } of batches) {
    const result = await reconcileBatch(deps, batch_id);
    if (result.repaired) drift.push(`${batch_id}: stored ${JSON.stringify(result.before)} recount ${JSON.stringify(result.after)}`);
  }
  return drift;
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-01-01T10:00:00Z')) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
    set: (date: Date) => {
      current = date.getTime();
    },
  };
}
