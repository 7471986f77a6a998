import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary, BSON, Decimal128, Double, Int32, Long, MongoClient, ObjectId, type Db, type Document } from 'mongodb';

const { EJSON } = BSON;
import { backupDatabase, readBackupManifest, restoreDatabase } from './backup';

const RUN = Date.now();

/** Every BSON type the product writes (and a few it might): dates, ids, nesting, numbers of each width, binary. */
function sampleDocuments(): Document[] {
  const created = new Date('2026-12-02T10:00:00.123Z');
  return [
    {
      _id: new ObjectId(),
      job_id: 'job-1',
      created_at: created,
      completed_at: null,
      parameters: { event: 'Conf', session: 'Ünïcode — "quotes"\nand a newline', speakers: ['a', 'b'], nested: { deep: { deeper: [1, { x: true }] } } },
      attempts: new Int32(2),
      max_attempts: new Int32(3),
      priority: new Double(0),
      progress: new Double(42.5),
      bytes: Long.fromString('9007199254740993'),
      price: Decimal128.fromString('12.34'),
      blob: new Binary(Buffer.from([0, 1, 2, 253, 254, 255])),
      uuid: new Binary(Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), Binary.SUBTYPE_UUID),
      logs: [{ at: created, level: 'info', message: 'started' }],
      archived: false,
      empty: {},
      none: [],
    },
    { _id: 'string-id', n: new Int32(-1), big: new Double(1e300), tiny: new Double(-0.000001) },
  ];
}

/** Canonical Extended JSON of a document: equal strings mean equal values and equal BSON types. */
const canonical = (doc: Document) => EJSON.stringify(doc, { relaxed: false });

describe('backupDatabase / restoreDatabase', () => {
  let client: MongoClient;
  let source: Db;
  let target: Db;
  let dir: string;

  beforeAll(async () => {
    const uri = process.env['EVENT_MONITOR_TEST_MONGODB_URI'];
    if (!uri) throw new Error('EVENT_MONITOR_TEST_MONGODB_URI is not set: the jest global setup did not run');
    client = await MongoClient.connect(uri);
    source = client.db(`t_backup_src_${RUN}`);
    target = client.db(`t_backup_dst_${RUN}`);
    await source.collection('event_jobs').insertMany(sampleDocuments());
    await source.collection('event_jobs').createIndex({ status: 1, priority: -1, created_at: 1 }, { name: 'claim' });
    await source.collection('event_jobs').createIndex({ job_id: 1 }, { unique: true, name: 'job_id_unique' });
    const many = Array.from({ length: 2_500 }, (_, i) => ({ batch_id: `b-${i % 7}`, i: new Int32(i), at: new Date(RUN + i) }));
    await source.collection('event_batches').insertMany(many);
    await source.createCollection('empty_one');
    dir = mkdtempSync(join(tmpdir(), 'em-backup-'));
  });

  afterAll(async () => {
    await source.dropDatabase();
    await target.dropDatabase();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one canonical Extended JSON document per line per collection, that mongoimport reads', async () => {
    const out = join(dir, 'b1');
    const manifest = await backupDatabase(source, out, { source: 'test', consistency: 'nothing writes' });
    expect(manifest.collections.map((c) => [c.name, c.documents])).toEqual([
      ['empty_one', 0],
      ['event_batches', 2_500],
      ['event_jobs', 2],
    ]);
    const lines = readFileSync(join(out, 'event_jobs.json'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      // One JSON object per line, and canonical: parsing and writing it again gives the same text.
      expect(typeof JSON.parse(line)).toBe('object');
      expect(canonical(EJSON.parse(line, { relaxed: false }) as Document)).toBe(line);
    }
    const first = JSON.parse(lines.find((line) => line.includes('"job-1"')) as string) as Record<string, unknown>;
    expect(first['attempts']).toEqual({ $numberInt: '2' });
    expect(first['priority']).toEqual({ $numberDouble: '0.0' });
    expect(first['bytes']).toEqual({ $numberLong: '9007199254740993' });
    expect(first['created_at']).toEqual({ $date: { $numberLong: String(Date.parse('2026-12-02T10:00:00.123Z')) } });
    expect(first['_id']).toEqual({ $oid: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(first['blob']).toEqual({ $binary: { base64: 'AAEC/f7/', subType: '00' } });
    expect(readFileSync(join(out, 'empty_one.json'), 'utf8')).toBe('');
    expect(readBackupManifest(out).collections).toHaveLength(3);
  });

  it('round-trips every document with its BSON types, and the indexes', async () => {
    const out = join(dir, 'b2');
    await backupDatabase(source, out, { source: 'test', consistency: 'nothing writes' });
    const result = await restoreDatabase(target, out);
    expect(result.collections).toEqual([
      { name: 'empty_one', documents: 0, indexes: 0 },
      { name: 'event_batches', documents: 2_500, indexes: 0 },
      { name: 'event_jobs', documents: 2, indexes: 2 },
    ]);
    const read = async (db: Db, name: string) =>
      (await db.collection(name).find({}, { promoteValues: false, promoteLongs: false }).toArray()).map(canonical).sort();
    for (const name of ['event_jobs', 'event_batches']) expect(await read(target, name)).toEqual(await read(source, name));
    const indexes = await target.collection('event_jobs').listIndexes().toArray();
    expect(indexes.find((i) => i['name'] === 'claim')?.['key']).toEqual({ status: 1, priority: -1, created_at: 1 });
    expect(indexes.find((i) => i['name'] === 'job_id_unique')).toMatchObject({ key: { job_id: 1 }, unique: true });
    // The unique index is really back: a duplicate is refused.
    await expect(target.collection('event_jobs').insertOne({ job_id: 'job-1' })).rejects.toMatchObject({ code: 11000 });
    expect((await target.listCollections().toArray()).map((c) => c.name)).toContain('empty_one');
  });

  it('refuses to restore over a non-empty database unless told to drop it', async () => {
    const out = join(dir, 'b3');
    await backupDatabase(source, out, { source: 'test', consistency: 'nothing writes' });
    const other = client.db(`t_backup_busy_${RUN}`);
    try {
      await other.collection('event_jobs').insertOne({ job_id: 'already-here' });
      await expect(restoreDatabase(other, out)).rejects.toThrow(/not empty \(event_jobs\).*--drop/);
      expect(await other.collection('event_jobs').countDocuments()).toBe(1);
      await restoreDatabase(other, out, { drop: true });
      expect(await other.collection('event_jobs').countDocuments()).toBe(2);
      expect(await other.collection('event_jobs').findOne({ job_id: 'already-here' })).toBeNull();
    } finally {
      await other.dropDatabase();
    }
  });

  it('refuses to write a backup into a directory that holds files', async () => {
    const out = join(dir, 'b1');
    await expect(backupDatabase(source, out, { source: 'test', consistency: '' })).rejects.toThrow(/not empty/);
  });
});
