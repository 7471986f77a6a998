import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { round } from './stats';

export interface AgendaResult {
  jobs: number;
  concurrency: number;
  processed: number;
  /** Distinct jobs run: equal to `processed` unless one ran twice. */
  distinct: number;
  /** From the first enqueue to the last job processed. */
  seconds: number;
  /** The part of `seconds` spent until the last job was enqueued. */
  enqueueSeconds: number;
  jobsPerSecond: number;
  config: { processEvery: number; maxConcurrency: number; lockLimit: number; lockLifetime: number };
}

const COLLECTION = 'bench_agenda_jobs';
const PROCESS_EVERY_MS = 100;
const AGENDA_LOCK_LIFETIME_MS = 10_000;

/**
 * The claims workload through Agenda on the same server: `jobs` no-op jobs enqueued with
 * `agenda.now` by `concurrency` producers while one Agenda instance processes them with
 * `concurrency` slots; done when every job has run once.
 */
export async function runAgenda(
  db: Db,
  sizes: { jobs: number; concurrency: number; timeoutSeconds: number },
  log: (line: string) => void,
): Promise<AgendaResult> {
  await db.collection(COLLECTION).deleteMany({});
  const config = { processEvery: PROCESS_EVERY_MS, maxConcurrency: sizes.concurrency, lockLimit: 0, lockLifetime: AGENDA_LOCK_LIFETIME_MS };
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: COLLECTION }),
    processEvery: config.processEvery,
    maxConcurrency: config.maxConcurrency,
    defaultConcurrency: sizes.concurrency,
    lockLimit: config.lockLimit,
    defaultLockLimit: 0,
  });
  const seen: number[] = [];
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  agenda.define<{ i: number }>(
    'bench-noop',
    async (job) => {
      seen.push(job.attrs.data.i);
      if (seen.length >= sizes.jobs) finish();
    },
    // Agenda checks each running job's lock every lockLifetime / 2 (5 min by default) and never
    // clears that timer when the job ends: 200 no-op jobs left 200 five-minute timers that kept
    // the process (and the bench's jest task in `npm test`) alive 300 s after the last test.
    // The jobs take microseconds, so a 10 s lock changes nothing in what is measured.
    { concurrency: sizes.concurrency, lockLifetime: config.lockLifetime },
  );
  let stopping = false;
  agenda.on('error', (error: unknown) => {
    if (!stopping) log(`agenda error: ${String(error)}`);
  });
  await agenda.start();
  try {
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: sizes.concurrency }, async () => {
        while (next < sizes.jobs) {
          const i = next++;
          await agenda.now('bench-noop', { i });
        }
      }),
    );
    const enqueued = performance.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allDone, new Promise((resolve) => (timer = setTimeout(resolve, sizes.timeoutSeconds * 1000)))]);
    clearTimeout(timer);
    const seconds = (performance.now() - start) / 1000;
    const result: AgendaResult = {
      jobs: sizes.jobs,
      concurrency: sizes.concurrency,
      processed: seen.length,
      distinct: new Set(seen).size,
      seconds: round(seconds, 3),
      enqueueSeconds: round((enqueued - start) / 1000, 3),
      jobsPerSecond: round(seen.length / seconds, 1),
      config,
    };
    log(`agenda: ${result.processed}/${sizes.jobs} jobs in ${result.seconds} s = ${result.jobsPerSecond} jobs/s`);
    return result;
  } finally {
    stopping = true;
    await agenda.stop();
    await db.collection(COLLECTION).deleteMany({});
  }
}
