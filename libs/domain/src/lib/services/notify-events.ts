import type { NotificationEvent } from '@event-monitor/contracts';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { canRead, readableFilter, type AccessSubject } from '../access/access.policy';
import { toBatchDto } from '../mappers/batch.mapper';
import type { BatchRecord } from '../models/batch.model';
import type { JobRecord } from '../models/job.model';
import type { NotificationSubscriptionRecord } from '../models/notification.model';
import { readFeedCheckpoint, readFeedPage, saveFeedCheckpoint, settledPosition, type FeedPosition } from './job-feed';
import { ownerActor, queueDelivery, type NotificationEventDraft } from './notify.service';

/**
 * Finding notification events (issue 20 item 6), in the maintenance sweep. Everything is read from
 * the database as it is, so the legacy workers' direct writes raise the same events as ours:
 * - the jobs' change feed (job-feed.ts, checkpoint `notify_feed`) gives the jobs that failed for
 *   good (`job.failed`: a failure with attempts left goes back to pending, so `failed` is final)
 *   and the batches whose jobs changed; each of those batches is recounted from its jobs and may
 *   be `batch.finished` (no job pending or processing) or over a subscription's failure rate;
 * - batches with a deadline are checked every sweep (`batch.deadline_risk`, at risk or missed);
 * - `workers.missing`: jobs are pending and no worker was seen (a heartbeat of ours, or a job of
 *   any worker finishing) for the subscription's minutes.
 * Each event is queued once per subscription (a unique key), only for subscribers who may read
 * the batch or job at that moment (their current role and the batch's current access list).
 */

export const NOTIFY_FEED_ID = 'notify_feed';
/** Jobs read from the feed per page, and pages per sweep (a backlog takes several sweeps). */
const FEED_PAGE = 1000;
const FEED_PAGES = 10;
/** After a page that brings the batches touched to this many, the sweep stops reading (the rest is the next sweep's). */
const MAX_BATCHES = 500;
/** Finished jobs a failure rate needs before it counts (or all the batch's jobs, when fewer). */
export const FAILURE_RATE_MIN_FINISHED = 5;
/** A deadline older than this is not looked at any more. */
const DEADLINE_WINDOW_MS = 86_400_000;

export interface NotifySweepResult {
  examined: number;
  queued: number;
}

interface BatchState {
  batch: BatchRecord;
  total: number;
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  /** The newest completed_at of its final jobs (names one finish: a restart and a new finish is another). */
  finishedAt?: Date;
}

const FEED_FIELDS = {
  job_id: 1,
  job_name: 1,
  job_type: 1,
  batch_id: 1,
  status: 1,
  error: 1,
  attempts: 1,
  completed_at: 1,
  processing_started_at: 1,
  user_id: 1,
  access_control: 1,
} as const;

async function batchStates(deps: DomainDeps, batchIds: string[]): Promise<BatchState[]> {
  if (batchIds.length === 0) return [];
  const [batches, groups] = await Promise.all([
    deps.models.Batch.find({ batch_id: { $in: batchIds } }).lean<BatchRecord[]>(),
    deps.models.Job.aggregate<{ _id: { batch_id: string; status: string }; n: number; last?: Date }>([
      { $match: { batch_id: { $in: batchIds } } },
      { $group: { _id: { batch_id: '$batch_id', status: '$status' }, n: { $sum: 1 }, last: { $max: '$completed_at' } } },
    ]),
  ]);
  const states = new Map<string, BatchState>(batches.map((batch) => [batch.batch_id, { batch, total: 0, pending: 0, processing: 0, completed: 0, failed: 0 }]));
  for (const { _id, n, last } of groups) {
    const state = states.get(_id.batch_id);
    if (!state) continue;
    state.total += n;
    if (_id.status === 'pending' || _id.status === 'processing' || _id.status === 'completed' || _id.status === 'failed') state[_id.status] += n;
    if ((_id.status === 'completed' || _id.status === 'failed') && last instanceof Date && (!state.finishedAt || last > state.finishedAt)) state.finishedAt = last;
  }
  return [...states.values()];
}

function batchData(state: BatchState): Record<string, unknown> {
  return {
    batch_id: state.batch.batch_id,
    batch_name: state.batch.batch_name ?? '',
    total_jobs: state.total,
    completed_jobs: state.completed,
    failed_jobs: state.failed,
    pending_jobs: state.pending,
    processing_jobs: state.processing,
  };
}

type Candidate = { subscription: NotificationSubscriptionRecord; owner: Actor };
type Wanting = (event: NotificationEvent, object: AccessSubject & { batch_id?: string }) => Promise<Candidate[]>;

/**
 * One sweep: reads the feed from the checkpoint, queues the events found for the subscriptions
 * that want them. Without any enabled subscription the checkpoint just moves to now (nothing from
 * before a subscription exists is ever sent).
 */
export async function detectNotificationEvents(deps: DomainDeps): Promise<NotifySweepResult> {
  const subscriptions = await deps.models.NotificationSubscription.find({ enabled: true }).lean<NotificationSubscriptionRecord[]>();
  const from = await readFeedCheckpoint(deps, NOTIFY_FEED_ID);
  if (subscriptions.length === 0 || !from) {
    await saveFeedCheckpoint(deps, NOTIFY_FEED_ID, from, settledPosition(deps));
    if (subscriptions.length === 0) return { examined: 0, queued: 0 };
  }
  const start = from ?? settledPosition(deps);

  // The owners as they are now (role changes, deactivation): read when an event is for them, once per sweep.
  const owners = new Map<string, Promise<Actor | null>>();
  const ownerOf = (subscription: NotificationSubscriptionRecord) => {
    const key = `${subscription.owner_id}\u0000${subscription.owner_role}`;
    let owner = owners.get(key);
    if (!owner) owners.set(key, (owner = ownerActor(deps, subscription)));
    return owner;
  };
  const subscribed = (event: NotificationEvent) => subscriptions.filter((subscription) => subscription.events.includes(event));
  // The subscriptions to this event of this batch (or of all batches) whose owner may read the object now.
  const wanting: Wanting = async (event, object) => {
    const found: Candidate[] = [];
    for (const subscription of subscribed(event)) {
      if (subscription.batch_id !== undefined && subscription.batch_id !== object.batch_id) continue;
      const owner = await ownerOf(subscription);
      if (owner && canRead(owner, object)) found.push({ subscription, owner });
    }
    return found;
  };

  let queued = 0;
  const queue = async (candidate: Candidate, draft: NotificationEventDraft) => {
    if (await queueDelivery(deps, candidate.subscription, draft)) queued++;
  };

  // The feed: final failures, and the batches whose jobs changed.
  let position: FeedPosition | undefined = start;
  let examined = 0;
  const touched = new Set<string>();
  for (let page = 0; page < FEED_PAGES; page++) {
    const { jobs, last } = await readFeedPage(deps, position, FEED_PAGE, FEED_FIELDS);
    examined += jobs.length;
    for (const job of jobs) {
      if (typeof job.batch_id === 'string' && job.batch_id) touched.add(job.batch_id);
      if (job.status === 'failed') {
        for (const candidate of await wanting('job.failed', job)) {
          await queue(candidate, jobFailedDraft(job));
        }
      }
    }
    position = last ?? position;
    if (jobs.length < FEED_PAGE || touched.size >= MAX_BATCHES) break;
  }

  const batchEvents: NotificationEvent[] = ['batch.finished', 'batch.failure_rate'];
  if (batchEvents.some((event) => subscribed(event).length > 0)) {
    // Every batch the pages read is recounted (at most MAX_BATCHES plus one page's): the checkpoint moves past them all.
    for (const state of await batchStates(deps, [...touched])) {
      await batchStateEvents(state, wanting, queue);
    }
  }
  await saveFeedCheckpoint(deps, NOTIFY_FEED_ID, from, position);

  if (subscribed('batch.deadline_risk').length > 0) await deadlineEvents(deps, wanting, queue);
  const silent = subscribed('workers.missing');
  if (silent.length > 0) await workersMissingEvents(deps, silent, ownerOf, queue);
  return { examined, queued };
}

function jobFailedDraft(job: JobRecord): NotificationEventDraft {
  const error = job.error && typeof job.error === 'object' ? job.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : 'ERROR';
  const message = typeof error?.message === 'string' ? error.message.slice(0, 500) : '';
  // What names this failure: its end, or (a legacy worker writes no completed_at) the start of the
  // attempt that failed. Not updated_at: an edit of the failed job later would look like a new failure.
  const at = [job.completed_at, job.processing_started_at, job.updated_at].find((value): value is Date => value instanceof Date);
  return {
    event: 'job.failed',
    key: `job.failed:${job.job_id}:${at instanceof Date ? at.getTime() : 0}`,
    summary: `Job ${job.job_name || job.job_id} failed after its last attempt: ${code}${message ? ` ${message.slice(0, 120)}` : ''}`,
    data: { job_id: job.job_id, job_name: job.job_name ?? '', job_type: job.job_type ?? '', batch_id: job.batch_id ?? null, attempts: job.attempts ?? 1, error: { code, message } },
    ...(job.batch_id ? { batch_id: job.batch_id } : {}),
    job_id: job.job_id,
  };
}

async function batchStateEvents(
  state: BatchState,
  wanting: Wanting,
  queue: (candidate: Candidate, draft: NotificationEventDraft) => Promise<void>,
): Promise<void> {
  const { batch } = state;
  const name = batch.batch_name || batch.batch_id;
  const finished = state.completed + state.failed;
  if (state.total > 0 && state.pending + state.processing === 0) {
    for (const candidate of await wanting('batch.finished', batch)) {
      await queue(candidate, {
        event: 'batch.finished',
        key: `batch.finished:${batch.batch_id}:${state.finishedAt?.getTime() ?? 0}:${finished}`,
        summary: `Batch ${name} finished: ${state.completed} completed, ${state.failed} failed`,
        data: batchData(state),
        batch_id: batch.batch_id,
      });
    }
  }
  if (finished > 0 && finished >= Math.min(state.total, FAILURE_RATE_MIN_FINISHED)) {
    const percent = (state.failed / finished) * 100;
    for (const candidate of await wanting('batch.failure_rate', batch)) {
      if (percent < candidate.subscription.failure_rate_percent) continue;
      await queue(candidate, {
        event: 'batch.failure_rate',
        key: `batch.failure_rate:${batch.batch_id}`,
        summary: `Batch ${name}: ${Math.round(percent)} % of its finished jobs failed (${state.failed} of ${finished}; threshold ${candidate.subscription.failure_rate_percent} %)`,
        data: { ...batchData(state), failure_rate_percent: Math.round(percent * 10) / 10, threshold_percent: candidate.subscription.failure_rate_percent },
        batch_id: batch.batch_id,
      });
    }
  }
}

async function deadlineEvents(
  deps: DomainDeps,
  wanting: Wanting,
  queue: (candidate: Candidate, draft: NotificationEventDraft) => Promise<void>,
): Promise<void> {
  const now = nowOf(deps);
  const batches = await deps.models.Batch.find({ deadline: { $gte: new Date(now.getTime() - DEADLINE_WINDOW_MS) } })
    .limit(MAX_BATCHES)
    .lean<BatchRecord[]>();
  for (const batch of batches) {
    if (batch.archived === true) continue;
    const risk = toBatchDto(batch, now).deadline_risk;
    if (risk !== 'at_risk' && risk !== 'missed') continue;
    const name = batch.batch_name || batch.batch_id;
    for (const candidate of await wanting('batch.deadline_risk', batch)) {
      await queue(candidate, {
        event: 'batch.deadline_risk',
        key: `batch.deadline_risk:${batch.batch_id}:${risk}:${batch.deadline?.getTime() ?? 0}`,
        summary:
          risk === 'missed'
            ? `Batch ${name} missed its deadline (${batch.deadline?.toISOString()})`
            : `Batch ${name} will not make its deadline (${batch.deadline?.toISOString()}) at its current rate`,
        data: { batch_id: batch.batch_id, batch_name: batch.batch_name ?? '', deadline: batch.deadline?.toISOString(), deadline_risk: risk },
        batch_id: batch.batch_id,
      });
    }
  }
}

/** The last sign of any worker: a heartbeat of ours, or a job finishing (a legacy worker's too). */
async function lastWorkerSign(deps: DomainDeps): Promise<Date | undefined> {
  const [worker, completed, failed] = await Promise.all([
    deps.models.Worker.findOne({}, { last_seen_at: 1 }).sort({ last_seen_at: -1 }).lean(),
    deps.models.Job.findOne({ status: 'completed' }, { completed_at: 1 }).sort({ completed_at: -1 }).lean<JobRecord>(),
    deps.models.Job.findOne({ status: 'failed' }, { completed_at: 1 }).sort({ completed_at: -1 }).lean<JobRecord>(),
  ]);
  const signs = [worker?.last_seen_at, completed?.completed_at, failed?.completed_at].filter((at): at is Date => at instanceof Date);
  return signs.length > 0 ? new Date(Math.max(...signs.map((at) => at.getTime()))) : undefined;
}

async function workersMissingEvents(
  deps: DomainDeps,
  subscriptions: NotificationSubscriptionRecord[],
  ownerOf: (subscription: NotificationSubscriptionRecord) => Promise<Actor | null>,
  queue: (candidate: Candidate, draft: NotificationEventDraft) => Promise<void>,
): Promise<void> {
  const oldest = await deps.models.Job.findOne({ status: 'pending' }, { created_at: 1 }).sort({ created_at: 1, _id: 1 }).lean<JobRecord>();
  if (!oldest) return;
  const now = nowOf(deps).getTime();
  const seen = await lastWorkerSign(deps);
  // Never seen: the silence counts from the oldest pending job's creation.
  const since = seen ?? oldest.created_at;
  if (!(since instanceof Date)) return;
  for (const subscription of subscriptions) {
    const minutes = subscription.worker_silence_minutes;
    if (now - since.getTime() < minutes * 60_000) continue;
    const key = `workers.missing:${seen ? `seen:${seen.getTime()}` : `never:${since.getTime()}`}`;
    // Told already about this silence: nothing to look at (the look below may read many pending jobs).
    if (await deps.models.NotificationDelivery.exists({ subscription_id: subscription.subscription_id, key })) continue;
    const owner = await ownerOf(subscription);
    if (!owner) continue;
    const candidate: Candidate = { subscription, owner };
    // Only subscribers who can see a pending job are told.
    const visible = await deps.models.Job.findOne({ status: 'pending', ...readableFilter(candidate.owner) }, { job_id: 1 }).lean();
    if (!visible) continue;
    await queue(candidate, {
      event: 'workers.missing',
      key,
      summary: seen
        ? `No worker seen for ${Math.floor((now - seen.getTime()) / 60_000)} minutes while jobs are pending (last: ${seen.toISOString()})`
        : `No worker seen while jobs are pending (the oldest since ${since.toISOString()})`,
      data: { last_seen_at: seen?.toISOString() ?? null, oldest_pending_since: oldest.created_at?.toISOString?.() ?? null, silence_minutes: minutes },
    });
  }
}
