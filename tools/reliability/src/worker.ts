/**
 * A load-test worker, run as its own OS process:
 *   node --import tsx tools/reliability/src/worker.ts --url http://127.0.0.1:3000 --token em_... \
 *     --id w1 --journal /tmp/w1.jsonl [--lease-seconds 10] [--work-ms 5] [--crash-on poison]
 *
 * Loops claim -> progress/logs -> complete over plain fetch. Network errors, 5xx and 429 are
 * retried with jittered backoff; a 409 means the lease is gone and the job is left alone.
 * Every claim and every ACKNOWLEDGED completion is appended (synchronously, so a SIGKILL right
 * after loses nothing the worker saw) to its journal, which the checker compares with the DB.
 * It stops by itself: on SIGTERM, when its parent dies, or after --max-seconds.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    id: { type: 'string' },
    journal: { type: 'string' },
    'lease-seconds': { type: 'string', default: '10' },
    'work-ms': { type: 'string', default: '5' },
    'progress-calls': { type: 'string', default: '2' },
    'crash-on': { type: 'string' },
    'max-seconds': { type: 'string', default: '900' },
    'request-timeout-ms': { type: 'string', default: '15000' },
  },
});
if (!args.url || !args.token || !args.id || !args.journal) {
  console.error('usage: worker.ts --url <app> --token <worker token> --id <worker id> --journal <file>');
  process.exit(2);
}
const base = `${args.url}/api/event-job`;
const token = args.token;
const workerId = args.id;
const journal = args.journal;
const leaseSeconds = Number(args['lease-seconds']);
const workMs = Number(args['work-ms']);
const progressCalls = Number(args['progress-calls']);
const crashOn = args['crash-on'];
const requestTimeoutMs = Number(args['request-timeout-ms']);
const stopAt = Date.now() + Number(args['max-seconds']) * 1000;
const parentPid = process.ppid;

let stopping = false;
process.on('SIGTERM', () => (stopping = true));
process.on('SIGINT', () => (stopping = true));

const counts: Record<string, number> = {};

function record(event: Record<string, unknown>): void {
  appendFileSync(journal, `${JSON.stringify({ ...event, w: workerId, t: Date.now() })}\n`);
}

function shouldStop(): boolean {
  return stopping || Date.now() > stopAt || process.ppid !== parentPid;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter: a random pause up to min(cap, base * 2^attempt). */
function backoff(attempt: number): number {
  return Math.random() * Math.min(2_000, 50 * 2 ** attempt);
}

type Outcome = { status: number; body: Record<string, unknown> } | 'stopped';

/**
 * One API call, retried until it gets an answer that is not a transient failure. Transient:
 * network error, timeout, 429, any 5xx. Each transient failure is journaled with its latency.
 */
async function call(path: string, body: unknown, what: string, timeoutMs = requestTimeoutMs): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    if (shouldStop()) return 'stopped';
    const started = Date.now();
    let status: number;
    let payload: Record<string, unknown> = {};
    try {
      const response = await fetch(`${base}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      // TimeoutError: the request hung longer than the timeout (the checker counts these).
      status = name === 'TimeoutError' ? -2 : -1;
    }
    counts[status] = (counts[status] ?? 0) + 1;
    if (status >= 200 && status < 500 && status !== 429) return { status, body: payload };
    record({ e: 'error', call: what, status, ms: Date.now() - started, attempt });
    await sleep(backoff(attempt));
  }
}

interface ClaimedJob {
  job_id: string;
  job_name?: string;
  attempts?: number;
}

async function work(job: ClaimedJob, lease: string): Promise<void> {
  const path = `worker/jobs/${encodeURIComponent(job.job_id)}`;
  for (let step = 1; step <= progressCalls; step++) {
    await sleep(workMs);
    const percent = Math.round((step / (progressCalls + 1)) * 100);
    const progress = await call(`${path}/progress`, { token: lease, progress: { step: `step-${step}`, percent } }, 'progress');
    if (progress === 'stopped' || progress.status !== 200) return abandon(job, lease, 'progress', progress);
    const logs = await call(
      `${path}/logs`,
      { token: lease, entries: [{ level: 'info', message: `${workerId} step ${step} of ${job.job_id}` }] },
      'logs',
    );
    if (logs === 'stopped' || logs.status !== 200) return abandon(job, lease, 'logs', logs);
  }
  if (crashOn && job.job_name?.includes(crashOn)) {
    // A worker that always dies on this job: after claim and progress, before complete.
    process.kill(process.pid, 'SIGKILL');
  }
  await sleep(workMs);
  const done = await call(`${path}/complete`, { token: lease, results: { markdown_content: `# ${job.job_id}` } }, 'complete');
  if (done === 'stopped' || done.status !== 200) return abandon(job, lease, 'complete', done);
  record({ e: 'complete', job: job.job_id, lease });
}

function abandon(job: ClaimedJob, lease: string, at: string, outcome: Outcome): void {
  // 409: the lease expired or the job was requeued meanwhile; someone else finishes it.
  record({ e: 'abandon', job: job.job_id, lease, at, status: outcome === 'stopped' ? 'stopped' : outcome.status });
}

async function main(): Promise<void> {
  record({ e: 'start', pid: process.pid });
  while (!shouldStop()) {
    const claim = await call('worker/claim', { worker_id: workerId, lease_seconds: leaseSeconds, wait_seconds: 1 }, 'claim');
    if (claim === 'stopped') break;
    if (claim.status !== 200) {
      record({ e: 'claim-refused', status: claim.status, body: claim.body });
      await sleep(500);
      continue;
    }
    const data = claim.body['data'] as { job: ClaimedJob | null; lease?: { token: string } } | undefined;
    if (!data?.job || !data.lease) continue;
    record({ e: 'claim', job: data.job.job_id, name: data.job.job_name, lease: data.lease.token, attempts: data.job.attempts });
    await work(data.job, data.lease.token);
  }
  record({ e: 'stop', counts });
}

main().catch((error: unknown) => {
  record({ e: 'crash', message: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
