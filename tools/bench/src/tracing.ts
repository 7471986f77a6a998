// `npm run bench:tracing [-- --jobs N --rounds R --workers W]`: what OpenTelemetry tracing costs
// (issue 20 item 7). Prints numbers; asserts nothing (docs/performance.md, "Tracing").
//
// 1. In process: a domain call wrapped in `traced()` with no tracer provider (tracing off, the
//    default) against the same call unwrapped, ns per call.
// 2. Over HTTP: the worker loop (claim + complete per job, W concurrent workers) against two live
//    servers on one database server, one with tracing off and one exporting every span over
//    OTLP/HTTP to a local receiver; rounds alternate so machine noise hits both alike.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { traced } from '@event-monitor/domain';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '4' },
    workers: { type: 'string', default: '8' },
    calls: { type: 'string', default: '500000' },
  },
});
const JOBS = Number(values.jobs);
const ROUNDS = Number(values.rounds);
const WORKERS = Number(values.workers);
const CALLS = Number(values.calls);

async function micro(): Promise<{ plainNs: number; tracedNs: number }> {
  let sink = 0;
  const work = async (i: number) => {
    sink += i;
    return i;
  };
  const time = async (fn: (i: number) => Promise<number>) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) await fn(i);
    return Number(process.hrtime.bigint() - started) / CALLS;
  };
  // Warm both paths, then alternate three times and keep the best of each.
  await time(work);
  await time((i) => traced('bench.noop', () => work(i)));
  const plain: number[] = [];
  const wrapped: number[] = [];
  for (let r = 0; r < 3; r++) {
    plain.push(await time(work));
    wrapped.push(await time((i) => traced('bench.noop', () => work(i))));
  }
  if (sink < 0) console.log(sink);
  return { plainNs: Math.min(...plain), tracedNs: Math.min(...wrapped) };
}

async function workerRound(server: LiveServer, writeToken: string, workerToken: string, round: number): Promise<number> {
  const jobType = `bench-tracing-${round}-${Math.random().toString(36).slice(2, 8)}`;
  const post = (path: string, token: string, body: unknown) =>
    fetch(`${server.url}/api/event-job/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const created = await post('batches', writeToken, {
    jobs: Array.from({ length: JOBS }, (_, i) => ({ job_type: jobType, parameters: { event: 'Bench', session: `S${i}` } })),
  });
  if (created.status !== 201) throw new Error(`batch creation answered ${created.status}`);
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      for (;;) {
        const claim = await post('worker/claim', workerToken, { worker_id: `bench-${w}`, job_types: [jobType] });
        const body = (await claim.json()) as { data: { job: { job_id: string } | null; lease?: { token: string } } };
        if (!body.data.job || !body.data.lease) return;
        const complete = await post(`worker/jobs/${body.data.job.job_id}/complete`, workerToken, {
          token: body.data.lease.token,
          results: { markdown_content: '# done' },
        });
        if (complete.status !== 200) throw new Error(`complete answered ${complete.status}`);
        await complete.body?.cancel();
        done += 1;
      }
    }),
  );
  if (done !== JOBS) throw new Error(`${done} of ${JOBS} jobs completed`);
  return (JOBS / (performance.now() - started)) * 1000;
}

async function main() {
  const { plainNs, tracedNs } = await micro();
  console.log(`[tracing] in process, ${CALLS} calls: plain ${plainNs.toFixed(0)} ns, traced() with tracing off ${tracedNs.toFixed(0)} ns per call (+${(tracedNs - plainNs).toFixed(0)} ns)`);

  let spans = 0;
  const receiver = createServer((request, response) => {
    request.on('data', () => undefined);
    request.on('end', () => {
      spans += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const off = await startLiveServer({ env: { LOG_LEVEL: 'warn' } });
  const on = await startLiveServer({ uri: off.uri, env: { LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } });
  try {
    const tokens = new Map<LiveServer, [string, string]>();
    for (const server of [off, on]) tokens.set(server, [await server.createToken(['read', 'write']), await server.createToken(['worker'])]);
    const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
    // A warm-up round each (JIT, connection pools), not counted.
    for (const server of [off, on]) await workerRound(server, ...(tokens.get(server) as [string, string]), 0);
    for (let round = 1; round <= ROUNDS; round++) {
      const order: ['off' | 'on', LiveServer][] = round % 2 ? [['off', off], ['on', on]] : [['on', on], ['off', off]];
      for (const [mode, server] of order) rates[mode].push(await workerRound(server, ...(tokens.get(server) as [string, string]), round));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const offRate = median(rates.off);
    const onRate = median(rates.on);
    console.log(`[tracing] worker loop, ${JOBS} jobs x ${ROUNDS} rounds, ${WORKERS} workers (claim + complete per job):`);
    console.log(`[tracing]   off: ${rates.off.map((r) => r.toFixed(0)).join(', ')} jobs/s (median ${offRate.toFixed(0)})`);
    console.log(`[tracing]   on:  ${rates.on.map((r) => r.toFixed(0)).join(', ')} jobs/s (median ${onRate.toFixed(0)}), ${spans} OTLP exports received`);
    console.log(`[tracing]   on / off = ${(onRate / offRate).toFixed(3)}`);
  } finally {
    await on.stop();
    await off.stop();
    receiver.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
