import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { forbidden, parseInput } from '../errors';
import { toAuditEventDto, type AuditEventDto } from '../mappers/audit.mapper';
import { MAX_AUDIT_IDS, type AuditAction, type AuditEventRecord, type AuditTargetType } from '../models/audit.model';
import { AuditTrailInput, AuditTrailTarget, ListAuditEventsInput } from '../schemas/audit.schema';
import { compact } from '../util';
import { and, loadBatch, loadJob } from './load';

/** What a service tells the audit trail after a change succeeded. */
export interface AuditEntry {
  action: AuditAction;
  target: { type: AuditTargetType; ids: readonly string[] };
  /** How many objects changed: jobs for batch and job actions, 1 for a user or a token. */
  count: number;
  /** Blank or undefined reasons are not stored. */
  reason?: string | undefined;
  /** Small facts of the action; undefined values are dropped. */
  details?: Record<string, unknown>;
}

const newAuditEventId = (): string => `audit-${randomUUID()}`;

function buildRecord(deps: DomainDeps, actor: Actor, entry: AuditEntry): AuditEventRecord {
  const ids = [...new Set(entry.target.ids)];
  const details = entry.details ? compact(entry.details) : undefined;
  return compact({
    event_id: newAuditEventId(),
    at: nowOf(deps),
    actor: { user_id: actor.userId, role: actor.role, via: actor.via },
    action: entry.action,
    target: { type: entry.target.type, ids: ids.slice(0, MAX_AUDIT_IDS), truncated: ids.length > MAX_AUDIT_IDS },
    count: entry.count,
    reason: entry.reason?.trim().slice(0, 1000) || undefined,
    details: details && Object.keys(details).length > 0 ? details : undefined,
  });
}

/**
 * Stores one audit event for a change that has already happened. Never throws: failing the call
 * would tell the caller the change did not happen when it did (there are no transactions to roll
 * it back). Instead the insert is tried twice with the same event_id (a duplicate key on the retry
 * means the first insert landed and only its answer was lost), then the error goes to
 * `deps.onAuditError`. Returns whether the event is stored.
 */
export async function recordAudit(deps: DomainDeps, actor: Actor, entry: AuditEntry): Promise<boolean> {
  let record: AuditEventRecord | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      record ??= buildRecord(deps, actor, entry);
      await deps.models.AuditEvent.insertMany([record]);
      return true;
    } catch (err) {
      if (attempt > 1 && isDuplicateKey(err)) return true;
      if (attempt === 2 || !record) {
        deps.onAuditError?.(err, record ?? ({ action: entry.action } as AuditEventRecord));
        return false;
      }
    }
  }
  return false;
}

export interface AuditEventList {
  events: AuditEventDto[];
  /** Matches of the filter (not of the page). */
  total: number;
  limit: number;
  skip: number;
}

/** The admin audit page: every event, filtered, newest first. Admins only (FORBIDDEN otherwise). */
export async function listAuditEvents(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ListAuditEventsInput> = {},
): Promise<AuditEventList> {
  if (actor.role !== 'admin') throw forbidden('Only admins may read the audit trail');
  const input = parseInput(ListAuditEventsInput, raw);
  const filter = and(
    input.action ? { action: input.action } : undefined,
    input.user_id ? { 'actor.user_id': input.user_id } : undefined,
    input.target_id ? { 'target.ids': input.target_id } : undefined,
    input.since || input.until ? { at: compact({ $gte: input.since, $lt: input.until }) } : undefined,
  );
  const [records, total] = await Promise.all([
    deps.models.AuditEvent.find(filter).sort({ at: -1, _id: -1 }).skip(input.skip).limit(input.limit).lean<AuditEventRecord[]>(),
    deps.models.AuditEvent.countDocuments(filter),
  ]);
  return { events: records.map(toAuditEventDto), total, limit: input.limit, skip: input.skip };
}

export interface AuditTrail {
  /** Newest first. */
  events: AuditEventDto[];
  limit: number;
  /** More events exist beyond `limit`. */
  has_more: boolean;
}

/**
 * The timeline of a batch or a job, newest first. A batch's holds the events naming it and those of
 * its jobs (restart, cancel, delete, edit, language: they carry `details.batch_id`); a job's holds
 * the events naming the job or its batch. Needs read access to the object (NOT_FOUND otherwise, as
 * for getBatch/getJob). For non-admins the ids of each event are cut down to the object(s) asked
 * about and, in a batch's timeline, that batch's jobs, since a bulk event also names batches the
 * reader may not see.
 */
export async function auditTrailFor(
  deps: DomainDeps,
  actor: Actor,
  rawTarget: z.input<typeof AuditTrailTarget>,
  raw: z.input<typeof AuditTrailInput> = {},
): Promise<AuditTrail> {
  const target = parseInput(AuditTrailTarget, rawTarget);
  const input = parseInput(AuditTrailInput, raw);
  let ids: string[];
  let filter: Record<string, unknown>;
  let ofBatch: string | undefined;
  if ('batch_id' in target) {
    ofBatch = (await loadBatch(deps, actor, target.batch_id, 'read')).batch_id;
    ids = [ofBatch];
    // Two indexed branches (target.ids, details.batch_id), each already in `at` order.
    filter = { $or: [{ 'target.ids': ofBatch }, { 'details.batch_id': ofBatch }] };
  } else {
    const job = await loadJob(deps, actor, target.job_id, 'read');
    ids = job.batch_id ? [job.job_id, job.batch_id] : [job.job_id];
    filter = { 'target.ids': { $in: ids } };
  }
  const records = await deps.models.AuditEvent.find(filter)
    .sort({ at: -1, _id: -1 })
    .limit(input.limit + 1)
    .lean<AuditEventRecord[]>();
  const events = records.slice(0, input.limit).map(toAuditEventDto);
  if (actor.role !== 'admin') {
    for (const event of events) {
      // A job event in this batch's timeline names a job of this batch: readable with the batch.
      const ofThisBatch = ofBatch !== undefined && event.target.type === 'job' && event.details?.['batch_id'] === ofBatch;
      if (!ofThisBatch) event.target.ids = event.target.ids.filter((id) => ids.includes(id));
    }
  }
  return { events, limit: input.limit, has_more: records.length > input.limit };
}
