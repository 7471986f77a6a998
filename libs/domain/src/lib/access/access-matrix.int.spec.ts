import { useTestDatabase } from '@event-monitor/testing';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { actors, checkAllDocuments, domainDeps, jobsInput, params } from '../../test-support/domain-fixtures';
import { listOperations, type ObjectAccess } from '@event-monitor/contracts';
import { BATCH_HANDLERS } from '../operations/batch.operations';
import { createBatch } from '../services/batch.service';
import { errorSignature } from '../services/error-signature';
import { JOB_HANDLERS } from '../operations/job.operations';
import { claimNextJob, failJob } from '../services/worker.service';
import { FLOW_HANDLERS } from '../operations/flow.operations';
import { RETENTION_HANDLERS } from '../operations/retention.operations';
import { NOTIFY_HANDLERS } from '../operations/notify.operations';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

type Who = keyof typeof actors;
const WHO: Who[] = ['viewer', 'other', 'reader', 'writer', 'owner', 'admin'];
/** ok = allowed and it acted; none = allowed but the batch is not among what it sees or changes. */
type Outcome = 'ok' | 'none' | 'NOT_FOUND' | 'FORBIDDEN';

// The viewer is listed in write_access on purpose: a viewer never writes, listed or not.
const ACL = { visibility: 'private' as const, read_access: ['olga', 'rita'], write_access: ['olga', 'walt', 'vera'], admin_access: ['olga'] };

interface Ctx {
  batchId: string;
  jobId: string;
  /** The owner's notification subscription (rows that prepare one). */
  subscriptionId?: string;
}

async function setup(finishOne: boolean): Promise<Ctx> {
  const { batch, job_ids } = await createBatch(deps, actors.owner, { ...ACL, jobs: [{ job_type: 'matrix', parameters: params() }] });
  if (finishOne) {
    await deps.models.Job.updateMany({ job_type: 'matrix', job_id: { $ne: job_ids[0] } }, { $set: { batch_active: false } });
    const claimed = await claimNextJob(deps, { worker_id: 'w', job_types: ['matrix'] });
    expect(claimed?.job.job_id).toBe(job_ids[0]);
    await failJob(deps, { job_id: job_ids[0]!, token: claimed!.lease.token, error: { code: 'E', message: 'x' } });
  }
  return { batchId: batch.batch_id, jobId: job_ids[0]! };
}

const jobStatus = async (ctx: Ctx) => (await deps.models.Job.findOne({ job_id: ctx.jobId }).lean())?.status;

type Handler = (deps: DomainDeps, actor: Actor, input?: unknown) => Promise<unknown>;
const HANDLERS = { batch: BATCH_HANDLERS, job: JOB_HANDLERS, flow: FLOW_HANDLERS, retention: RETENTION_HANDLERS, notify: NOTIFY_HANDLERS } as unknown as Record<string, Record<string, Handler>>;

/** One input per operation of the table, and how to tell whether the call touched or showed this batch. */
interface Case {
  /** The operation of the table it runs (its bound domain call); the row's own name when absent. */
  operation?: string;
  /** Prepare a failed job instead of a pending one. */
  failed?: boolean;
  /** More to prepare after the batch exists (e.g. the owner's bulk run whose progress is read). */
  prepare?: (ctx: Ctx) => Promise<void>;
  input?: (ctx: Ctx) => Record<string, unknown>;
  /** false when it was allowed but did not touch/show this batch. */
  check?: (result: unknown, ctx: Ctx) => Promise<boolean> | boolean;
  /** A variant whose outcome differs from the operation's declared access (e.g. a list filtered to one batch). */
  expected?: Outcomes;
}

type Outcomes = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
const READ: Outcomes = ['ok', 'NOT_FOUND', 'ok', 'ok', 'ok', 'ok'];
const WRITE: Outcomes = ['FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN', 'ok', 'ok', 'ok'];
const ADMIN: Outcomes = ['FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok'];
const LISTED: Outcomes = ['ok', 'none', 'ok', 'ok', 'ok', 'ok'];
const BULK: Outcomes = ['FORBIDDEN', 'none', 'none', 'ok', 'ok', 'ok'];
const PREVIEW: Outcomes = ['none', 'none', 'none', 'ok', 'ok', 'ok'];
const CREATE: Outcomes = ['FORBIDDEN', 'ok', 'ok', 'ok', 'ok', 'ok'];
const SHARED: Outcomes = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const SETTINGS: Outcomes = ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'];
/** The owner's own object (a subscription): the owner and admins act, nobody else learns it exists. */
const OWN: Outcomes = ['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'ok', 'ok'];

/** What each actor gets, by the object access the operation table declares. */
const BY_ACCESS: Record<ObjectAccess, Outcomes> = {
  read: READ,
  write: WRITE,
  admin: ADMIN,
  listed: LISTED,
  bulk: BULK,
  preview: PREVIEW,
  create: CREATE,
  shared: SHARED,
  settings: SETTINGS,
  own: OWN,
};

const shows = (list: string, id: 'batchId' | 'jobId', key: string) => (result: unknown, ctx: Ctx) =>
  ((result as Record<string, Record<string, string>[]>)[list] ?? []).some((item) => item[key] === ctx[id]);

const MATRIX_RUN = '1d2c3b4a-5e6f-4a70-8b91-a2b3c4d5e6f7';

const changedOne = (result: unknown) => (result as { changed: number }).changed === 1;

/** The owner subscribes the setup's batch (a webhook to a name that never resolves: a test try fails at once). */
const ownerSubscribes = async (c: Ctx) => {
  const created = (await NOTIFY_HANDLERS.create(deps, actors.owner, {
    name: 'matrix',
    url: 'https://hooks.invalid/matrix',
    events: ['batch.finished'],
    batch_id: c.batchId,
  } as never)) as { subscription: { subscription_id: string } };
  c.subscriptionId = created.subscription.subscription_id;
};
const subscriptionInput = (c: Ctx) => ({ subscription_id: c.subscriptionId });
const subscriptionLeft = async (c: Ctx) => (await deps.models.NotificationSubscription.countDocuments({ subscription_id: c.subscriptionId })) === 1;

/** Keyed by operation name (`batch.get`); every operation of the table needs a row (checked below). */
const cases: Record<string, Case> = {
  'batch.get': { input: (c) => ({ batch_id: c.batchId }) },
  'batch.list': { input: () => ({ limit: 100 }), check: shows('batches', 'batchId', 'batch_id') },
  'batch.tabs': { check: (r) => (r as { current: number }).current > 0 },
  'batch.stats': { check: (r) => (r as { batches: { total: number } }).batches.total > 0 },
  // The hour's count reads jobs (not the batch counters): a failed job shows only to its readers.
  'batch.overview': { failed: true, check: (r) => (r as { last_hour: { failed: number } }).last_hour.failed > 0 },
  'job.list': { input: () => ({ limit: 200 }), check: shows('jobs', 'jobId', 'job_id') },
  'job.list of one batch': { operation: 'job.list', input: (c) => ({ batch_id: c.batchId }), check: shows('jobs', 'jobId', 'job_id'), expected: READ },
  'job.get': { input: (c) => ({ job_id: c.jobId }) },
  'job.logs': { input: (c) => ({ job_id: c.jobId }) },
  'batch.create': { input: () => ({ jobs: jobsInput(1) }) },
  'job.create': { input: () => ({ parameters: params() }) },
  'job.create in a batch': { operation: 'job.create', input: (c) => ({ batch_id: c.batchId, parameters: params() }), expected: WRITE },
  'batch.archive': { input: (c) => ({ batch_id: c.batchId }) },
  'batch.unarchive': { input: (c) => ({ batch_id: c.batchId }) },
  'batch.toggleActive': { input: (c) => ({ batch_id: c.batchId, active: false }) },
  'batch.restart': { failed: true, input: (c) => ({ batch_id: c.batchId }), check: (r) => (r as { restarted: number }).restarted === 1 },
  'batch.changeLanguage': { input: (c) => ({ target: { batch_id: c.batchId }, target_language: 'fr' }) },
  'batch.changeLanguage of one job': { operation: 'batch.changeLanguage', input: (c) => ({ target: { job_id: c.jobId }, target_language: 'fr' }) },
  'batch.changeLanguage of all current': {
    operation: 'batch.changeLanguage',
    input: () => ({ target: { all_current: true }, target_language: 'it' }),
    check: async (_r, c) => (await deps.models.Job.findOne({ job_id: c.jobId }).lean())?.parameters?.target_language === 'it',
    expected: BULK,
  },
  'batch.changeBatchLanguage': { input: (c) => ({ batch_id: c.batchId, target_language: 'fr' }) },
  'job.changeLanguage': { input: (c) => ({ job_id: c.jobId, target_language: 'fr', reset_to_pending: 'true' }) },
  'job.restart': { failed: true, input: (c) => ({ job_id: c.jobId }) },
  'job.cancel': { input: (c) => ({ job_id: c.jobId }) },
  'job.delete': { input: (c) => ({ job_id: c.jobId, reason: 'matrix' }) },
  'batch.delete': { input: (c) => ({ batch_id: c.batchId, reason: 'matrix' }) },
  'batch.failAll': { input: () => ({ reason: 'matrix' }), check: async (_r, c) => (await jobStatus(c)) === 'failed' },
  'batch.setAllPending': { failed: true, input: () => ({}), check: async (_r, c) => (await jobStatus(c)) === 'pending' },
  'batch.previewFailAll': { check: (r) => (r as { jobs: number }).jobs > 0 },
  'batch.previewSetAllPending': { failed: true, check: (r) => (r as { jobs: number }).jobs > 0 },
  'job.bulkPreview': { input: (c) => ({ batch_ids: [c.batchId], action: 'cancel' }), check: (r) => (r as { jobs: number }).jobs > 0 },
  // The owner's run: only the owner reads its progress; everyone else reads `unknown` (an admin too).
  'job.bulkProgress': {
    prepare: async (c) => void (await JOB_HANDLERS.bulkFail(deps, actors.owner, { batch_ids: [c.batchId], reason: 'matrix', run_id: MATRIX_RUN })),
    input: () => ({ run_id: MATRIX_RUN }),
    check: (r) => (r as { state: string; changed: number }).state === 'finished' && (r as { changed: number }).changed === 1,
    expected: ['none', 'none', 'none', 'none', 'ok', 'none'],
  },
  'job.bulkRestart': { failed: true, input: (c) => ({ batch_ids: [c.batchId], reason: 'matrix' }), check: changedOne },
  'job.bulkFail': { input: (c) => ({ batch_ids: [c.batchId], reason: 'matrix' }), check: changedOne },
  'job.bulkCancel': { input: (c) => ({ batch_ids: [c.batchId], reason: 'matrix' }), check: changedOne },
  // Deleting needs the right to administer the batch: the listed writer changes nothing.
  'job.bulkDelete': {
    input: (c) => ({ batch_ids: [c.batchId], reason: 'matrix' }),
    check: changedOne,
    expected: ['FORBIDDEN', 'none', 'none', 'none', 'ok', 'ok'],
  },
  'job.bulkChangeLanguage': { input: (c) => ({ batch_ids: [c.batchId], target_language: 'fr', reason: 'matrix' }), check: changedOne },
  'job.bulkSetPriority': { input: (c) => ({ batch_ids: [c.batchId], priority: 5, reason: 'matrix' }), check: changedOne },
  // Flow control (issue 20): installation-wide, every reader sees it, only admins change it.
  'flow.list': { check: (r) => Array.isArray((r as { job_types: unknown[] }).job_types) },
  'flow.setLimits': {
    input: () => ({ job_type: 'matrix', max_concurrent: 2 }),
    check: async () => (await deps.models.JobTypeFlow.findOne({ job_type: 'matrix' }).lean())?.max_concurrent === 2,
  },
  'flow.pause': {
    input: () => ({ job_type: 'matrix' }),
    check: async () => (await deps.models.JobTypeFlow.findOne({ job_type: 'matrix' }).lean())?.paused === true,
  },
  'flow.resume': {
    input: () => ({ job_type: 'matrix' }),
    check: async () => (await deps.models.JobTypeFlow.findOne({ job_type: 'matrix' }).lean())?.paused === false,
  },
  // Retention (issue 20): the policy is admins' only; a batch's own retention is for whoever may delete it.
  'retention.preview': { check: (r) => typeof (r as { held: unknown }).held === 'number' },
  'retention.setPolicy': {
    input: () => ({ archive_finished_after_days: 30 }),
    check: async () => (await deps.models.RetentionSettings.findOne({ _id: 'retention' }).lean())?.archive_finished_after_days === 30,
  },
  // The setup's batch has a pending job: a run leaves it alone.
  'retention.run': { check: async (_r, c) => (await deps.models.Batch.findOne({ batch_id: c.batchId }).lean())?.archived === false },
  'retention.setBatch': {
    input: (c) => ({ batch_id: c.batchId, keep: true }),
    check: async (_r, c) => (await deps.models.Batch.findOne({ batch_id: c.batchId }).lean())?.retention?.keep === true,
  },
  'batch.rename': { input: (c) => ({ batch_id: c.batchId, batch_name: 'renamed by the matrix' }) },
  'job.update': { input: (c) => ({ job_id: c.jobId, priority: 7 }) },
  // Sharing (issue 19): the batch's admins change it; every non-viewer may look users up.
  'batch.share': {
    input: (c) => ({ batch_id: c.batchId, visibility: 'public' }),
    check: async (_r, c) => (await deps.models.Job.findOne({ job_id: c.jobId }).lean())?.access_control?.visibility === 'public',
  },
  'batch.findUsers': { input: () => ({ q: 'o' }), check: (r) => Array.isArray((r as { users: unknown[] }).users) },
  'job.update of a failed job': { operation: 'job.update', failed: true, input: (c) => ({ job_id: c.jobId, job_name: 'edited' }) },
  'job.bulkRestart by job id': {
    operation: 'job.bulkRestart',
    failed: true,
    input: (c) => ({ job_ids: [c.jobId], reason: 'matrix' }),
    check: changedOne,
  },
  // Notifications (issue 20): a subscription is its owner's; admins may manage it; a listing shows one's own.
  'notify.list': {
    prepare: ownerSubscribes,
    check: (r, c) => (r as { subscriptions: { subscription_id: string }[] }).subscriptions.some((s) => s.subscription_id === c.subscriptionId),
    expected: ['none', 'none', 'none', 'none', 'ok', 'none'],
  },
  'notify.create': { input: () => ({ name: 'matrix', url: 'https://example.org/hook', events: ['job.failed'] }) },
  // Subscribing one batch needs the right to read it.
  'notify.create for a batch': {
    operation: 'notify.create',
    input: (c) => ({ name: 'matrix', url: 'https://example.org/hook', events: ['batch.finished'], batch_id: c.batchId }),
    expected: ['FORBIDDEN', 'NOT_FOUND', 'ok', 'ok', 'ok', 'ok'],
  },
  'notify.update': {
    prepare: ownerSubscribes,
    input: (c) => ({ ...subscriptionInput(c), enabled: false }),
    check: async (_r, c) => (await deps.models.NotificationSubscription.findOne({ subscription_id: c.subscriptionId }).lean())?.enabled === false,
  },
  'notify.delete': { prepare: ownerSubscribes, input: subscriptionInput, check: async (_r, c) => !(await subscriptionLeft(c)) },
  'notify.rotateSecret': { prepare: ownerSubscribes, input: subscriptionInput, check: (r) => /^whsec_/.test((r as { secret: string }).secret) },
  'notify.test': {
    prepare: ownerSubscribes,
    input: subscriptionInput,
    check: (r) => (r as { event: string; attempts: unknown[] }).event === 'test' && (r as { attempts: unknown[] }).attempts.length === 1,
  },
  'notify.deliveries': { prepare: ownerSubscribes, input: subscriptionInput, check: (r) => Array.isArray((r as { deliveries: unknown[] }).deliveries) },
  // Go-to-id: a job id, and a batch id, name the object only for those who may read it.
  'job.locate': {
    input: (c) => ({ id: c.jobId }),
    check: (r, c) => (r as { job: { job_id: string } | null }).job?.job_id === c.jobId,
  },
  'job.locate of a batch id': {
    operation: 'job.locate',
    input: (c) => ({ id: c.batchId }),
    check: (r, c) => (r as { batch: { batch_id: string } | null }).batch?.batch_id === c.batchId,
  },
  // Failure triage: the failed job of the setup has the signature of ('E', 'x').
  'job.failureGroups': {
    failed: true,
    check: (r, c) => (r as { groups: { batch_ids: string[] }[] }).groups.some((group) => group.batch_ids.includes(c.batchId)),
  },
  'job.list of one failure group': {
    operation: 'job.list',
    failed: true,
    input: () => ({ error_signature: errorSignature('E', 'x') }),
    check: shows('jobs', 'jobId', 'job_id'),
  },
  // A signature names the group across batches: every batch the actor may write, not only its own.
  'job.bulkRestart by failure signature': {
    operation: 'job.bulkRestart',
    failed: true,
    input: () => ({ error_signature: errorSignature('E', 'x'), reason: 'matrix' }),
    check: changedOne,
  },
};

const OPERATIONS = new Map(listOperations().map((operation) => [operation.name, operation]));

function expectedOf(name: string): Outcomes {
  const testCase = cases[name] as Case;
  const operation = OPERATIONS.get(testCase.operation ?? name);
  if (!operation) throw new Error(`${name}: no such operation in the table`);
  return testCase.expected ?? BY_ACCESS[operation.declaration.access];
}

/** Runs the row through the operation's bound domain call, with the input its declared schema parsed. */
async function run(name: string, actor: Actor, ctx: Ctx): Promise<boolean> {
  const testCase = cases[name] as Case;
  const operation = OPERATIONS.get(testCase.operation ?? name);
  if (!operation) throw new Error(`${name}: no such operation in the table`);
  const { declaration, key } = operation;
  const handler = HANDLERS[declaration.area]?.[key] as Handler;
  const result = declaration.input
    ? await handler(deps, actor, declaration.input.parse(testCase.input?.(ctx) ?? {}))
    : await handler(deps, actor);
  return testCase.check ? testCase.check(result, ctx) : true;
}

it('has a row for every operation of the table (the rows come from it)', () => {
  const covered = new Set(Object.entries(cases).map(([name, c]) => c.operation ?? name));
  expect([...OPERATIONS.keys()].filter((name) => !covered.has(name))).toEqual([]);
});

describe('access matrix (viewer, another user, a listed reader, a listed writer, the owner, an admin)', () => {
  const rows = Object.keys(cases).flatMap((name) => WHO.map((who, i) => [name, who, expectedOf(name)[i]!] as const));

  it.each(rows)('%s as %s -> %s', async (name, who, expected) => {
    // A clean slate per row, so "none" really means this actor sees or changes nothing.
    await deps.models.Job.deleteMany({});
    await deps.models.Batch.deleteMany({});
    await deps.models.JobTypeFlow.deleteMany({});
    await deps.models.NotificationSubscription.deleteMany({});
    const ctx = await setup(cases[name]?.failed === true);
    await cases[name]?.prepare?.(ctx);
    const jobBefore = await deps.models.Job.collection.findOne({ job_id: ctx.jobId });
    let outcome: Outcome;
    try {
      outcome = (await run(name, actors[who], ctx)) === false ? 'none' : 'ok';
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      outcome = err.code as Outcome;
    }
    expect(outcome).toBe(expected);
    if (expected === 'NOT_FOUND' || expected === 'FORBIDDEN') {
      // Refused means untouched.
      expect(await deps.models.Job.collection.findOne({ job_id: ctx.jobId })).toEqual(jobBefore);
    }
  });

  it('leaves every document readable by the legacy worker', async () => {
    expect(await checkAllDocuments(deps)).toEqual([]);
  });
});
