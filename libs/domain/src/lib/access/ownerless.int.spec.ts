import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, domainDeps } from '../../test-support/domain-fixtures';
import { canRead, canWrite, readableFilter, writableFilter, type AccessSubject } from './access.policy';

const db = useTestDatabase();
let deps: DomainDeps;

const EMPTY = { visibility: 'private', read_access: [], write_access: [], admin_access: [] };

// Every owner/ACL shape either side writes or has written, and whether it is ownerless.
const SHAPES: Record<string, { doc: Record<string, unknown>; ownerless: boolean }> = {
  'no user, no access_control (old fixture)': { doc: {}, ownerless: true },
  'no user, empty lists (the legacy models)': { doc: { access_control: EMPTY }, ownerless: true },
  'user_id null, empty lists': { doc: { user_id: null, access_control: EMPTY }, ownerless: true },
  'no user, lists absent': { doc: { access_control: { visibility: 'private' } }, ownerless: true },
  'no user, someone listed': { doc: { access_control: { ...EMPTY, read_access: ['rita'] } }, ownerless: false },
  'no user, a writer listed': { doc: { access_control: { ...EMPTY, write_access: ['walt'] } }, ownerless: false },
  'owned, empty lists': { doc: { user_id: 'olga', access_control: EMPTY }, ownerless: false },
  'owned, no access_control': { doc: { user_id: 'olga' }, ownerless: false },
};

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  await deps.models.Batch.collection.insertMany(
    Object.entries(SHAPES).map(([name, { doc }], i) => ({
      batch_id: `batch-shape-${i}`,
      batch_name: name,
      status: 'pending',
      created_at: new Date(),
      ...doc,
    })),
  );
});

describe('ownerless documents: the check form and the query form agree', () => {
  const who = ['viewer', 'other', 'reader', 'writer', 'owner', 'admin'] as const;

  it.each(who)('as %s, readableFilter and writableFilter return exactly what canRead / canWrite allow', async (name) => {
    const actor = actors[name];
    const all = await deps.models.Batch.collection.find({}).toArray();
    const expectedRead = all.filter((d) => canRead(actor, d as AccessSubject)).map((d) => d['batch_name']).sort();
    const expectedWrite = all.filter((d) => canWrite(actor, d as AccessSubject)).map((d) => d['batch_name']).sort();
    const read = (await deps.models.Batch.collection.find(readableFilter(actor)).toArray()).map((d) => d['batch_name']).sort();
    const write = (await deps.models.Batch.collection.find(writableFilter(actor)).toArray()).map((d) => d['batch_name']).sort();
    expect(read).toEqual(expectedRead);
    expect(write).toEqual(expectedWrite);
  });

  const rows = Object.entries(SHAPES).map(([name, shape]) => [name, shape.ownerless, shape.doc] as const);
  it.each(rows)('%s: ownerless %s (then read by viewers and operators, written by operators only)', (_, ownerless, doc) => {
    expect(canRead(actors.viewer, doc)).toBe(ownerless);
    expect(canRead(actors.other, doc)).toBe(ownerless);
    expect(canWrite(actors.other, doc)).toBe(ownerless);
    expect(canWrite(actors.viewer, doc)).toBe(false);
  });
});
