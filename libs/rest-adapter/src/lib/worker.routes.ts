import {
  appendLogs,
  ClaimInput,
  claimNextJob,
  CompleteJobInput,
  completeJob,
  FailJobInput,
  failJob,
  HeartbeatInput,
  heartbeat,
  parseInput,
  ReportProgressInput,
  reportProgress,
  WorkerAppendLogsInput,
  type ClaimResult,
  type DomainDeps,
} from '@event-monitor/domain';
import { z } from 'zod';
import { bodyObject, untrusted, withPathId } from './input';
import {
  AppendLogsResponseJson,
  ClaimResponseJson,
  CompleteResponseJson,
  FailResponseJson,
  HeartbeatResponseJson,
  ProgressResponseJson,
} from './response.schemas';
import type { RouteDef } from './route';

export const MAX_WAIT_SECONDS = 30;

/** The claim body: the domain's ClaimInput plus how long to long-poll for a job. */
export const ClaimBody = ClaimInput.extend({
  wait_seconds: z.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
});

// Bodies of the calls under a lease: the job id is in the path.
export const HeartbeatBody = HeartbeatInput.omit({ job_id: true });
export const ProgressBody = ReportProgressInput.omit({ job_id: true });
export const AppendLogsBody = WorkerAppendLogsInput.omit({ job_id: true });
export const CompleteBody = CompleteJobInput.omit({ job_id: true });
export const FailBody = FailJobInput.omit({ job_id: true });

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 1_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Claims a job, retrying with a growing pause (250 ms up to 1 s) until one is found, the wait is
 * over or the client is gone. No claim is attempted after a disconnect, so no job is taken for
 * nobody (a claim racing a disconnect is recovered when its lease expires).
 */
export async function claimWithWait(
  deps: DomainDeps,
  input: z.input<typeof ClaimInput>,
  waitSeconds: number,
  signal: AbortSignal,
): Promise<ClaimResult | null> {
  const deadline = Date.now() + waitSeconds * 1000;
  let pause = FIRST_RETRY_MS;
  for (;;) {
    if (signal.aborted) return null;
    const result = await claimNextJob(deps, input);
    if (result) return result;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return null;
    await sleep(Math.min(pause, remaining), signal);
    pause = Math.min(pause * 2, MAX_RETRY_MS);
  }
}

/** The claim's answer: the job and its lease (the worker id stays out), or `{job: null}`. */
function claimAnswer(result: ClaimResult | null) {
  if (!result) return { job: null };
  return { job: result.job, lease: { token: result.lease.token, expires_at: result.lease.expires_at } };
}

const jobPath = (action: string) => `worker/jobs/{jobId}/${action}`;

export const workerRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: 'worker/claim',
    operationId: 'claimJob',
    summary: 'Take the next job with a lease; wait_seconds (0..30) long-polls when none is ready',
    description:
      'Returns `{job, lease: {token, expires_at}}` or `{job: null}`. Every later call for the job must carry `lease.token`; ' +
      'heartbeat before `expires_at` to keep it.',
    tag: 'Worker',
    scope: 'worker',
    body: { schema: ClaimBody, required: true },
    response: ClaimResponseJson,
    handle: async ({ deps, body, request, onWorkerOutcome }) => {
      const { wait_seconds: wait, ...claim } = parseInput(ClaimBody, bodyObject(body));
      const result = await claimWithWait(deps, claim, wait, request.signal);
      if (result) onWorkerOutcome?.('claimed');
      return { data: claimAnswer(result) };
    },
  },
  {
    method: 'POST',
    path: jobPath('heartbeat'),
    operationId: 'heartbeat',
    summary: 'Extend the lease on a job',
    tag: 'Worker',
    scope: 'worker',
    body: { schema: HeartbeatBody, required: true },
    response: HeartbeatResponseJson,
    handle: async ({ deps, body, params }) => ({ data: await heartbeat(deps, untrusted(withPathId(body, 'job_id', params['jobId']))) }),
  },
  {
    method: 'POST',
    path: jobPath('progress'),
    operationId: 'reportProgress',
    summary: 'Report the step and percent (integer 0..100) of a job',
    tag: 'Worker',
    scope: 'worker',
    body: { schema: ProgressBody, required: true },
    response: ProgressResponseJson,
    handle: async ({ deps, body, params }) => {
      await reportProgress(deps, untrusted(withPathId(body, 'job_id', params['jobId'])));
      return { data: { job_id: params['jobId'] } };
    },
  },
  {
    method: 'POST',
    path: jobPath('logs'),
    operationId: 'appendLogs',
    summary: 'Append log lines (the newest 1,000 are kept)',
    tag: 'Worker',
    scope: 'worker',
    body: { schema: AppendLogsBody, required: true },
    response: AppendLogsResponseJson,
    handle: async ({ deps, body, params }) => ({ data: await appendLogs(deps, untrusted(withPathId(body, 'job_id', params['jobId']))) }),
  },
  {
    method: 'POST',
    path: jobPath('complete'),
    operationId: 'completeJob',
    summary: 'Finish a job with its results; with claim_next, take the next job in the same call',
    description:
      'Repeating the call with the same lease token (its answer was lost to a network error or an app restart) answers 200 ' +
      'again and changes nothing; any other token gets 409. With `claim_next` (the claim body without `wait_seconds`) ' +
      'the answer also has `next`, the claim answer (`{job: null}` when nothing is ready): one call per job instead of two.',
    tag: 'Worker',
    scope: 'worker',
    body: { schema: CompleteBody, required: true },
    response: CompleteResponseJson,
    handle: async ({ deps, body, params, onWorkerOutcome }) => {
      const result = await completeJob(deps, untrusted(withPathId(body, 'job_id', params['jobId'])));
      onWorkerOutcome?.('completed');
      if (result.next === undefined) return { data: { job_id: result.job_id, status: result.status } };
      if (result.next) onWorkerOutcome?.('claimed');
      return { data: { job_id: result.job_id, status: result.status, next: claimAnswer(result.next) } };
    },
  },
  {
    method: 'POST',
    path: jobPath('fail'),
    operationId: 'failJob',
    summary: 'Fail a job; retryable failures go back to pending after a backoff while attempts remain',
    tag: 'Worker',
    scope: 'worker',
    body: { schema: FailBody, required: true },
    response: FailResponseJson,
    handle: async ({ deps, body, params, onWorkerOutcome }) => {
      const result = await failJob(deps, untrusted(withPathId(body, 'job_id', params['jobId'])));
      onWorkerOutcome?.(result.status === 'pending' ? 'retried' : 'failed');
      return { data: result };
    },
  },
];
