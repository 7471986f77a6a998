import { randomUUID } from 'node:crypto';
import type { Document } from 'mongodb';
import { connectMongoose, startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import {
  BATCHES_COLLECTION,
  createDomainModels,
  ensureIndexes,
  indexAllSearchTerms,
  JOBS_COLLECTION,
  listJobs,
  type Actor,
  type DomainDeps,
} from '@event-monitor/domain';
import { batchRecord, jobRecord, type JobStatusValue } from './documents';
import { median, round, timed } from './stats';

export interface SearchSizes {
  batches: number;
  jobsPerBatch: number;
  /** Timed rounds of each query (after one warm-up). */
  repeats: number;
}

export interface SearchResult {
  jobs: number;
  batches: number;
  /** The search indexer over every job (the first run after an upgrade): seconds and jobs per second. */
  indexSeconds: number;
  indexJobsPerSecond: number;
  /** One word that 1 job in WORDS.length has (its first page of 50 and the total counted up to the cap). */
  searchP50Ms: number;
  searchHits: number;
  /** A word only one job has (its whole job id, one term): the whole walk, the worst case of the search. */
  searchRareP50Ms: number;
  /** The jobs page with no filter: the newest 50 of all jobs and the bounded total. */
  firstPageP50Ms: number;
  /** The jobs page filtered by status (pending, 2 % of the jobs). */
  statusPageP50Ms: number;
}

/** Words spread over the job names, one per job in turn: each is in 1 of WORDS.length jobs. */
const WORDS = ['walrus', 'narwhal', 'pangolin', 'axolotl', 'quokka', 'capybara', 'ibex', 'okapi', 'tapir', 'dugong'].flatMap((word) =>
  ['red', 'green', 'blue', 'amber', 'violet'].map((colour) => `${colour}${word}`),
);
const PENDING_SHARE = 0.02;
/** A ~2 KB markdown result, as a transcribed session leaves behind (its words are indexed too). */
const MARKDOWN = `# Session transcript\n\n${'Speakers discussed observability, tracing and sampling in distributed systems. '.repeat(30)}`.slice(0, 2_048);
const INSERT_CHUNK = 5_000;

/**
 * The job search and the global jobs view in process (the domain's listJobs, no HTTP) on one
 * embedded database: fills `batches` x `jobsPerBatch` jobs with the driver, runs the search indexer
 * over all of them, then measures a search for a word of 2 % of the jobs, for a word of one job,
 * the first page of all jobs and the first page of one status.
 */
export async function runSearch(sizes: SearchSizes, log: (line: string) => void, uri?: string): Promise<SearchResult> {
  const server: EmbeddedMongo | undefined = uri ? undefined : await startEmbeddedMongo({ readyTimeoutMs: 600_000 });
  const connection = await connectMongoose({ uri: uri ?? server?.uri ?? '', dbName: `search-bench-${randomUUID().slice(0, 8)}`, serverSelectionTimeoutMS: 30_000 });
  try {
    const deps: DomainDeps = { models: createDomainModels(connection) };
    await ensureIndexes(deps.models);
    const db = connection.db;
    if (!db) throw new Error('no database handle');
    const userId = `search-user-${randomUUID()}`;
    const actor: Actor = { userId, role: 'operator' };
    const total = sizes.batches * sizes.jobsPerBatch;
    const firstPending = sizes.batches - Math.max(1, Math.ceil(sizes.batches * PENDING_SHARE));
    const base = Date.now() - sizes.batches * 60_000;
    let jobChunk: Document[] = [];
    let batchChunk: Document[] = [];
    let rareWord = '';
    const flush = async () => {
      if (jobChunk.length) await db.collection(JOBS_COLLECTION).insertMany(jobChunk, { ordered: false });
      if (batchChunk.length) await db.collection(BATCHES_COLLECTION).insertMany(batchChunk, { ordered: false });
      jobChunk = [];
      batchChunk = [];
    };
    const fillStart = performance.now();
    for (let b = 0; b < sizes.batches; b++) {
      const batchId = `batch-${randomUUID()}`;
      const now = new Date(base + b * 60_000);
      const status: JobStatusValue = b >= firstPending ? 'pending' : 'completed';
      for (let j = 0; j < sizes.jobsPerBatch; j++) {
        const index = b * sizes.jobsPerBatch + j;
        const job = jobRecord(index, now, { batchId, userId, status }) as unknown as Document;
        job['job_name'] = `${String(job['job_name'])} ${WORDS[index % WORDS.length]}`;
        if (status === 'completed') job['results'] = { markdown_file: `session-${index}.md`, markdown_content: MARKDOWN };
        // The middle job's id: one match, found only by reading the walk to the end on the embedded server.
        if (index === Math.floor(total / 2)) rareWord = String(job['job_id']);
        jobChunk.push(job);
      }
      const counts = { pending: 0, processing: 0, completed: 0, failed: 0, [status]: sizes.jobsPerBatch };
      batchChunk.push(batchRecord(batchId, `Search batch ${b}`, now, userId, counts) as unknown as Document);
      if (jobChunk.length >= INSERT_CHUNK) await flush();
    }
    await flush();
    log(`search: ${total} jobs in ${sizes.batches} batches stored in ${round((performance.now() - fillStart) / 1000, 1)} s`);

    const indexed = await timed(() => indexAllSearchTerms(deps, { limit: 5_000 }));
    if (indexed.value !== total) throw new Error(`the indexer wrote ${indexed.value} jobs of ${total}`);
    const indexSeconds = round(indexed.ms / 1000, 1);
    log(`search: indexer over ${total} jobs: ${indexSeconds} s`);

    const measure = async (name: string, call: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let r = 0; r <= sizes.repeats; r++) {
        const { ms } = await timed(call);
        if (r > 0) samples.push(ms);
      }
      const p50 = round(median(samples));
      log(`search ${total} jobs: ${name} p50 ${p50} ms`);
      return p50;
    };
    const word = WORDS[7] ?? 'ibex';
    let searchHits = 0;
    const searchP50Ms = await measure(`search "${word}"`, async () => {
      const page = await listJobs(deps, actor, { search: word, limit: 50 });
      if (page.jobs.length !== Math.min(50, Math.ceil(total / WORDS.length))) throw new Error(`the search page held ${page.jobs.length} jobs`);
      searchHits = page.total;
    });
    const searchRareP50Ms = await measure('search one job id', async () => {
      const page = await listJobs(deps, actor, { search: rareWord, limit: 50 });
      if (page.jobs.length !== 1) throw new Error(`the id search found ${page.jobs.length} jobs`);
    });
    const firstPageP50Ms = await measure('first page of all jobs', async () => {
      const page = await listJobs(deps, actor, { limit: 50 });
      if (page.jobs.length !== Math.min(50, total)) throw new Error(`the first page held ${page.jobs.length} jobs`);
    });
    const statusPageP50Ms = await measure('first page of pending jobs', async () => {
      const page = await listJobs(deps, actor, { status: 'pending', limit: 50 });
      if (page.jobs.length === 0) throw new Error('no pending job listed');
    });
    return {
      jobs: total,
      batches: sizes.batches,
      indexSeconds,
      indexJobsPerSecond: Math.round(total / (indexed.ms / 1000)),
      searchP50Ms,
      searchHits,
      searchRareP50Ms,
      firstPageP50Ms,
      statusPageP50Ms,
    };
  } finally {
    await connection.db?.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
}
