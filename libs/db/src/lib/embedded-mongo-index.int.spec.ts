import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded-mongo';

// The embedded server's ordered indexes (tools/embedded-mongo, dev.eventmonitor.embedded.index)
// seen through the Node driver: the server answers {eventMonitorIndexStats: <collection>} with the
// index its last query walked and the documents it examined. The filters and sorts below are the
// ones libs/domain sends (worker.service takeNextJob, job.service listJobs, keyset-page afterFilter,
// maintenance.service lease recovery).

interface IndexStats {
  last?: { index: string | null; examined: number; returned: number };
}

const JOBS = 20_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

// In memory, and with a data dir: there the indexes are persisted in RocksDB, and the server is
// restarted after the inserts so that the queries walk the indexes as a reopened store has them.
describe.each([
  { mode: 'in memory', persisted: false },
  { mode: 'data dir, persisted indexes, after a restart', persisted: true },
])('embedded server ordered indexes ($mode, 20,000 jobs)', ({ persisted }) => {
  let server: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;
  let dataDir: string | undefined;

  const lastQuery = async (): Promise<NonNullable<IndexStats['last']>> => {
    const stats = (await db.command({ eventMonitorIndexStats: 'jobs' })) as IndexStats;
    if (!stats.last) throw new Error('the server reported no query');
    return stats.last;
  };

  beforeAll(async () => {
    dataDir = persisted ? await mkdtemp(join(tmpdir(), 'em-index-')) : undefined;
    server = await startEmbeddedMongo({ dataDir });
    client = await MongoClient.connect(server.uri);
    db = client.db('index_e2e');
    const jobs = db.collection('jobs');
    await jobs.createIndexes([
      { key: { status: 1, priority: -1, created_at: 1 } },
      { key: { batch_id: 1, created_at: 1, _id: 1 } },
      { key: { status: 1, 'lease.expires_at': 1 } },
      { key: { status: 1 } },
    ]);
    for (let start = 0; start < JOBS; start += 2_000) {
      await jobs.insertMany(
        Array.from({ length: 2_000 }, (_, k) => {
          const i = start + k;
          const status = i % 500 === 0 ? 'pending' : i % 500 === 1 ? 'processing' : 'completed';
          return {
            job_id: `job-${i}`,
            batch_id: `batch-${Math.floor(i / 100)}`,
            status,
            priority: Math.floor(i / 500) % 5,
            created_at: new Date(T0 + Math.floor(i / 3) * 1000),
            ...(status === 'processing' ? { lease: { expires_at: new Date(T0 + i * 1000) } } : {}),
          };
        }),
      );
    }
    if (dataDir) {
      await client.close();
      await server.stop();
      server = await startEmbeddedMongo({ dataDir });
      client = await MongoClient.connect(server.uri);
      db = client.db('index_e2e');
      expect(await db.collection('jobs').estimatedDocumentCount()).toBe(JOBS);
    }
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('the claim examines a handful of jobs, not 20,000', async () => {
    const claimed = await db.collection('jobs').findOneAndUpdate(
      { status: 'pending', batch_active: { $ne: false }, archived: { $ne: true } },
      { $set: { status: 'processing' } },
      { sort: { priority: -1, created_at: 1 }, returnDocument: 'after' },
    );
    // pending jobs are every 500th; priority 4 first (jobs 2000, 4500, ...), then the oldest
    expect(claimed?.['job_id']).toBe('job-2000');
    const last = await lastQuery();
    expect(last.index).toBe('status_1_priority_-1_created_at_1');
    expect(last.examined).toBeLessThanOrEqual(3);
  });

  it('a page of a batch and its keyset continuation examine about one page', async () => {
    const jobs = db.collection('jobs');
    const sort = { created_at: 1, _id: 1 } as const;
    const first = await jobs.find({ batch_id: 'batch-77' }).sort(sort).limit(51).toArray();
    expect(first).toHaveLength(51);
    expect((await lastQuery()).examined).toBeLessThanOrEqual(52);

    const after = first[50];
    const next = await jobs
      .find({
        batch_id: 'batch-77',
        $or: [{ created_at: { $gt: after['created_at'] } }, { created_at: after['created_at'], _id: { $gt: after._id } }],
      })
      .sort(sort)
      .limit(51)
      .toArray();
    expect(next.map((j) => j['job_id'])).toEqual(
      Array.from({ length: 49 }, (_, k) => `job-${7751 + k}`),
    );
    expect((await lastQuery()).examined).toBeLessThanOrEqual(55);
  });

  it('lease recovery and a $match-first count use the index', async () => {
    const jobs = db.collection('jobs');
    const expired = await jobs
      .find({ status: 'processing', 'lease.expires_at': { $lt: new Date(T0 + 5_000_000) } })
      .toArray();
    expect(expired.length).toBeGreaterThan(0);
    const lease = await lastQuery();
    expect(lease.index).toBe('status_1_lease.expires_at_1');
    expect(lease.examined).toBe(expired.length);

    // countDocuments is an aggregate whose first stage is $match
    expect(await jobs.countDocuments({ batch_id: 'batch-3' })).toBe(100);
    const count = await lastQuery();
    expect(count.index).toBe('batch_id_1_created_at_1__id_1');
    expect(count.examined).toBe(100);
  });
});
