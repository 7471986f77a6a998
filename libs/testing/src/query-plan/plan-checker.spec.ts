import { checkQuery, findUnservedQueries, filterShapeKey, type GuardConfig, type GuardIndex } from './plan-checker';
import { literalPrefixOfRegex, queriesOfCommand, type RecordedQuery } from './recorded-query';

const JOBS = 'event_jobs';

function config(keys: Record<string, 1 | -1>[], extra: Partial<GuardConfig> = {}): GuardConfig {
  const indexes: GuardIndex[] = keys.map((key) => ({ collection: JOBS, key }));
  return { indexes, accessFields: ['user_id', 'access_control.visibility', 'access_control.read_access'], ...extra };
}

function find(filter: Record<string, unknown>, sort?: Record<string, 1 | -1>, limit?: number): RecordedQuery {
  return { collection: JOBS, kind: 'find', filter, ...(sort ? { sort } : {}), ...(limit ? { limit } : {}) };
}

const served = (query: RecordedQuery, cfg: GuardConfig) => checkQuery(query, cfg).served;
const why = (query: RecordedQuery, cfg: GuardConfig) => {
  const verdict = checkQuery(query, cfg);
  return verdict.served ? `served by ${verdict.by}` : verdict.why;
};

const readable = { $or: [{ user_id: 'u1' }, { 'access_control.visibility': 'public' }, { 'access_control.read_access': 'u1' }] };

describe('equality prefix', () => {
  it('serves equality fields that form the index prefix in any order', () => {
    const cfg = config([{ batch_id: 1, status: 1, created_at: 1 }]);
    expect(served(find({ status: 'pending', batch_id: 'b1' }), cfg)).toBe(true);
    expect(served(find({ batch_id: 'b1' }), cfg)).toBe(true);
  });

  it('does not serve an equality behind an unbound key (wrong prefix order)', () => {
    const cfg = config([{ status: 1, batch_id: 1 }]);
    expect(why(find({ batch_id: 'b1' }), cfg)).toMatch(/equality on batch_id is not in the index's equality prefix/);
  });

  it('does not serve an equality on a field the index lacks', () => {
    const cfg = config([{ batch_id: 1 }]);
    expect(why(find({ batch_id: 'b1', 'parameters.event': 'x' }), cfg)).toMatch(/equality on parameters.event is not in the index/);
  });

  it('does not serve an equality placed after a sort key', () => {
    const cfg = config([{ status: 1, created_at: 1, batch_id: 1 }]);
    expect(served(find({ status: 'pending', batch_id: 'b1' }, { created_at: 1 }), cfg)).toBe(false);
  });
});

describe('sort', () => {
  const cfg = config([{ status: 1, priority: -1, created_at: 1 }]);

  it('is served in index order and fully reversed', () => {
    expect(served(find({ status: 'pending' }, { priority: -1, created_at: 1 }), cfg)).toBe(true);
    expect(served(find({ status: 'pending' }, { priority: 1, created_at: -1 }), cfg)).toBe(true);
  });

  it('is not served when one direction is flipped', () => {
    expect(why(find({ status: 'pending' }, { priority: -1, created_at: -1 }), cfg)).toMatch(/sort direction of created_at/);
  });

  it('is not served when the sort keys come in another order', () => {
    expect(served(find({ status: 'pending' }, { created_at: 1, priority: -1 }), cfg)).toBe(false);
  });

  it('skips sort keys bound by an equality', () => {
    expect(served(find({ status: 'pending', priority: 5 }, { priority: -1, created_at: 1 }), cfg)).toBe(true);
  });

  it('needs an _id tie-breaker to be in the index: MongoDB sorts in memory otherwise', () => {
    const without = config([{ archived: 1, created_at: -1 }]);
    const withId = config([{ archived: 1, created_at: -1, _id: -1 }]);
    const query = find({ archived: false }, { created_at: -1, _id: -1 }, 20);
    expect(why(query, without)).toMatch(/sort key _id is not in the index/);
    expect(served(query, withId)).toBe(true);
  });

  it('merges the sort over a small $in, not over more than 200 point scans', () => {
    const index = config([{ archived: 1, created_at: -1, _id: -1 }]);
    expect(served(find({ archived: { $in: [false, null] } }, { created_at: -1, _id: -1 }, 20), index)).toBe(true);
    const many = Array.from({ length: 201 }, (_, i) => `b${i}`);
    const byBatch = config([{ batch_id: 1, created_at: 1 }]);
    expect(why(find({ batch_id: { $in: many } }, { created_at: 1 }, 20), byBatch)).toMatch(/201 point scans/);
    expect(served(find({ batch_id: { $in: many } }), byBatch)).toBe(true);
  });
});

describe('ranges', () => {
  it('are served after the equality and sort keys', () => {
    const cfg = config([{ status: 1, completed_at: -1 }]);
    expect(served(find({ status: 'failed', completed_at: { $gte: new Date(0), $lte: new Date() } }), cfg)).toBe(true);
  });

  it('are not served before the sort keys (the sort would block)', () => {
    const cfg = config([{ status: 1, created_at: 1, priority: -1 }]);
    expect(why(find({ status: 'pending', created_at: { $gt: new Date(0) } }, { priority: -1 }), cfg)).toMatch(
      /range on created_at comes before sort key priority/,
    );
  });

  it('are served on the sort key itself', () => {
    const cfg = config([{ updated_at: 1, _id: 1 }]);
    expect(served(find({ updated_at: { $gte: new Date() } }, { updated_at: 1, _id: 1 }, 500), cfg)).toBe(true);
  });

  it('must be bounded by the index, not left to the fetch', () => {
    const cfg = config([{ status: 1 }]);
    expect(why(find({ status: 'failed', completed_at: { $gte: new Date(0) } }), cfg)).toMatch(/range on completed_at is not in the index/);
  });

  it('count an anchored case-sensitive regex with a literal prefix, not other regexes', () => {
    const cfg = config([{ 'results.markdown_file': 1 }]);
    expect(served(find({ 'results.markdown_file': { $regex: '^talks/day1/[^/]+$' } }), cfg)).toBe(true);
    expect(served(find({ 'results.markdown_file': /^talks\/day1\// }), cfg)).toBe(true);
    expect(served(find({ 'results.markdown_file': { $regex: '^talks/', $options: 'i' } }), cfg)).toBe(false);
    expect(served(find({ 'results.markdown_file': { $regex: '^(?:\\./|/)?talks/' } }), cfg)).toBe(false);
    expect(served(find({ 'results.markdown_file': { $regex: 'talks' } }), cfg)).toBe(false);
  });
});

describe('residual conditions', () => {
  it('never bound a scan: $ne, $exists and unanchored regexes alone are a full scan', () => {
    const cfg = config([{ archived: 1, created_at: -1 }]);
    expect(why(find({ archived: { $ne: true } }), cfg)).toMatch(/the filter bounds no index key/);
  });

  it('are filtered after the index range of the other fields', () => {
    const cfg = config([{ batch_id: 1 }]);
    expect(served(find({ batch_id: 'b1', archived: { $ne: true }, 'parameters.event': { $regex: 'x', $options: 'i' } }), cfg)).toBe(true);
  });

  it('include the access clause: residual after the selective fields, never a bound of its own', () => {
    const cfg = config([{ batch_id: 1 }]);
    expect(served(find({ $and: [readable, { batch_id: 'b1' }] }), cfg)).toBe(true);
    expect(why(find(readable), cfg)).toMatch(/full scan/);
    expect(filterShapeKey({ $and: [readable, { batch_id: 'b1' }] }, cfg.accessFields)).toBe('{"$and":[{"$or":"<access>"},{"batch_id":"?"}]}');
  });

  it('serve an empty filter only as an ordered walk that a limit stops', () => {
    const cfg = config([{ created_at: 1 }]);
    expect(served(find({}, { created_at: -1 }, 20), cfg)).toBe(true);
    expect(why(find({}, { created_at: -1 }), cfg)).toMatch(/no limit/);
    expect(why(find({}), cfg)).toMatch(/full scan/);
  });
});

describe('$or', () => {
  const cfg = config([{ 'results.markdown_file': 1 }, { 'results.assets': 1 }]);

  it('is served when every branch is served', () => {
    const query = find({ $or: [{ 'results.markdown_file': { $in: ['a', './a'] } }, { 'results.assets': { $in: ['a', './a'] } }] });
    expect(checkQuery(query, cfg)).toMatchObject({ served: true, by: expect.stringContaining('branch by branch') });
  });

  it('is not served when one branch is not', () => {
    const query = find({ $or: [{ 'results.markdown_file': 'a' }, { 'parameters.event': 'a' }] });
    expect(served(query, cfg)).toBe(false);
  });

  it('may stay residual when the rest of the filter is served', () => {
    const claim = config([{ status: 1, priority: -1, created_at: 1 }]);
    const query = find(
      { status: 'pending', $or: [{ available_at: { $exists: false } }, { available_at: { $lte: new Date() } }] },
      { priority: -1, created_at: 1 },
      1,
    );
    expect(served(query, claim)).toBe(true);
  });

  it('needs every branch to give the sort when it is planned branch by branch', () => {
    const feed = config([{ updated_at: 1, _id: 1 }]);
    const keyset = { $or: [{ updated_at: { $gt: new Date() } }, { updated_at: new Date(), _id: { $gt: 'x' } }] };
    expect(served(find(keyset, { updated_at: 1, _id: 1 }, 500), feed)).toBe(true);
    expect(served(find(keyset, { updated_at: 1, _id: 1 }, 500), config([{ updated_at: 1 }]))).toBe(false);
  });
});

describe('unique id lookups', () => {
  it('are served by the unique index whatever else the filter says', () => {
    const cfg: GuardConfig = { indexes: [{ collection: JOBS, key: { job_id: 1 }, unique: true }] };
    expect(served(find({ job_id: 'job-1', status: 'processing', 'lease.token': 't' }), cfg)).toBe(true);
    expect(served(find({ job_id: { $in: ['job-1', 'job-2'] }, ...readable }), cfg)).toBe(true);
    expect(served(find({ status: 'processing' }), cfg)).toBe(false);
  });

  it('include the implicit _id index of every collection', () => {
    expect(served(find({ batch_id: 'b', _id: 'x' }), config([{ job_id: 1 }]))).toBe(true);
    expect(served(find({ _id: { $gt: 'x' } }), config([{ job_id: 1 }]))).toBe(false);
  });

  it('are only unique on a unique index', () => {
    expect(why(find({ job_id: 'job-1', status: 'processing' }), config([{ job_id: 1 }]))).toMatch(/equality on status is not in the index/);
  });
});

describe('exceptions', () => {
  const query = find({ 'parameters.event': 'x' }, { created_at: 1 });
  const exception = { collection: JOBS, filter: '{"parameters.event":"?"}', sort: '{"created_at":1}', reason: 'a test reason' };

  it('allow exactly the listed shape, with its reason', () => {
    expect(checkQuery(query, config([{ batch_id: 1 }], { exceptions: [exception] }))).toEqual({ served: true, by: 'exception: a test reason' });
  });

  it('do not cover another sort, collection or kind', () => {
    const cfg = config([{ batch_id: 1 }], { exceptions: [exception] });
    expect(served({ ...query, sort: { created_at: -1 } }, cfg)).toBe(false);
    expect(served({ ...query, collection: 'event_batches' }, cfg)).toBe(false);
    const countOnly = config([{ batch_id: 1 }], { exceptions: [{ ...exception, kind: 'count' }] });
    expect(served(query, countOnly)).toBe(false);
  });

  it('may name the function the queries come from instead of a shape', () => {
    const byOrigin = config([{ batch_id: 1 }], { exceptions: [{ collection: JOBS, origin: 'listJobs', reason: 'keyset soon' }] });
    expect(served({ ...query, origin: 'listJobs (libs/domain/src/lib/services/job.service.ts:51)' }, byOrigin)).toBe(true);
    expect(served({ ...query, origin: 'listBatches (libs/domain/src/lib/services/batch.service.ts:52)' }, byOrigin)).toBe(false);
    expect(served(query, byOrigin)).toBe(false);
  });

  it('cover a shape only from the named function when the same shape also comes from another', () => {
    const byOrigin = config([{ batch_id: 1 }], { exceptions: [{ collection: JOBS, origin: 'listJobs', reason: 'keyset soon' }] });
    const findings = findUnservedQueries(
      [
        { ...query, origin: 'listJobs (libs/domain/src/lib/services/job.service.ts)' },
        { ...query, origin: 'searchJobs (libs/domain/src/lib/services/search.ts)' },
      ],
      byOrigin,
    );
    expect(findings.map((f) => f.origins)).toEqual([['searchJobs (libs/domain/src/lib/services/search.ts)']]);
  });

  it('bounded by a field apply only when the filter binds that field by equality', () => {
    const origin = 'listJobs (libs/domain/src/lib/services/job.service.ts:60)';
    const sorted = (filter: Record<string, unknown>) => ({ ...find(filter, { job_name: 1, _id: 1 }), origin });
    const bounded = config([{ batch_id: 1 }], {
      exceptions: [{ collection: JOBS, origin: 'listJobs', boundedBy: 'batch_id', reason: 'one batch sorted in memory' }],
    });
    expect(served(sorted({ batch_id: 'b1' }), bounded)).toBe(true);
    expect(served(sorted({}), bounded)).toBe(false);
    expect(served(sorted({ batch_id: { $gt: 'b' } }), bounded)).toBe(false);
  });

  it('with residual fields apply only when the rest of the filter is index-served', () => {
    const origin = 'readPage (libs/domain/src/lib/services/keyset-page.ts:90)';
    const page = (filter: Record<string, unknown>) => ({ ...find(filter, { created_at: -1, _id: -1 }, 51), origin });
    const cfg = config([{ created_at: 1, _id: 1 }, { status: 1, created_at: 1, _id: 1 }], {
      exceptions: [{ collection: JOBS, origin: 'readPage', residual: ['search_terms', 'job_type'], reason: 'checked on the walk' }],
    });
    expect(served(page({ search_terms: { $regex: '^key' }, job_type: 'x' }), cfg)).toBe(true);
    expect(served(page({ status: 'failed', search_terms: { $regex: '^key' } }), cfg)).toBe(true);
    // The rest (priority) is served by no index: the residual fields do not excuse it.
    expect(served(page({ priority: 3, search_terms: { $regex: '^key' } }), cfg)).toBe(false);
    // Nothing residual in the filter: the exception does not apply.
    expect(served(page({ priority: 3 }), cfg)).toBe(false);
  });

  it('never cover a whole collection', () => {
    const everything = config([{ batch_id: 1 }], { exceptions: [{ collection: JOBS, reason: 'too broad' }] });
    expect(served(query, everything)).toBe(false);
  });
});

describe('findUnservedQueries', () => {
  it('reports each unserved shape once, with its origins and the ESR index that would serve it', () => {
    const cfg = config([{ batch_id: 1 }]);
    const findings = findUnservedQueries(
      [
        { ...find({ status: 'failed', completed_at: { $gte: new Date(1) } }, { created_at: -1 }), origin: 'a (x.ts:1)' },
        { ...find({ status: 'pending', completed_at: { $gte: new Date(2) } }, { created_at: -1 }), origin: 'b (y.ts:2)' },
        find({ batch_id: 'b1' }),
      ],
      cfg,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      collection: JOBS,
      filter: '{"completed_at":{"$gte":"?"},"status":"?"}',
      sort: '{"created_at":-1}',
      origins: ['a (x.ts:1)', 'b (y.ts:2)'],
      suggestion: '{ status: 1, created_at: -1, completed_at: 1 }',
    });
  });
});

describe('queriesOfCommand', () => {
  it('reads find, findAndModify, update, delete, count and aggregate commands', () => {
    expect(queriesOfCommand('find', { find: JOBS, filter: { a: 1 }, sort: new Map([['b', -1], ['_id', -1]]), limit: 5 })).toEqual([
      { collection: JOBS, kind: 'find', filter: { a: 1 }, sort: { b: -1, _id: -1 }, limit: 5 },
    ]);
    expect(queriesOfCommand('findAndModify', { findAndModify: JOBS, query: { a: 1 }, sort: { p: -1 } })).toEqual([
      { collection: JOBS, kind: 'findAndModify', filter: { a: 1 }, sort: { p: -1 }, limit: 1 },
    ]);
    expect(queriesOfCommand('update', { update: JOBS, updates: [{ q: { a: 1 }, u: {}, multi: true }, { q: { b: 1 }, u: {} }] })).toEqual([
      { collection: JOBS, kind: 'update', filter: { a: 1 } },
      { collection: JOBS, kind: 'update', filter: { b: 1 }, limit: 1 },
    ]);
    expect(queriesOfCommand('delete', { delete: JOBS, deletes: [{ q: { a: 1 }, limit: 0 }] })).toEqual([
      { collection: JOBS, kind: 'delete', filter: { a: 1 } },
    ]);
    expect(queriesOfCommand('count', { count: JOBS })).toEqual([]);
    expect(
      queriesOfCommand('aggregate', { aggregate: JOBS, pipeline: [{ $match: { s: 1 } }, { $sort: { c: -1 } }, { $limit: 10 }, { $group: {} }] }),
    ).toEqual([{ collection: JOBS, kind: 'aggregate', filter: { s: 1 }, sort: { c: -1 }, limit: 10 }]);
    expect(queriesOfCommand('aggregate', { aggregate: JOBS, pipeline: [{ $group: { _id: null } }] })).toEqual([
      { collection: JOBS, kind: 'aggregate', filter: {} },
    ]);
    expect(queriesOfCommand('aggregate', { aggregate: JOBS, pipeline: [{ $changeStream: {} }] })).toEqual([]);
    expect(queriesOfCommand('insert', { insert: JOBS, documents: [] })).toEqual([]);
  });
});

describe('literalPrefixOfRegex', () => {
  it.each([
    ['^talks/day1/[^/]+$', '', 'talks/day1/'],
    ['^\\./talks/a\\.md$', '', './talks/a.md'],
    ['^abc?', '', 'ab'],
    ['^abc', 'i', undefined],
    ['abc', '', undefined],
    ['^(?:\\./|/)?talks', '', undefined],
    ['^a|b', '', undefined],
    ['^\\d+', '', undefined],
  ])('%s /%s -> %s', (source, flags, prefix) => {
    expect(literalPrefixOfRegex(source, flags)).toBe(prefix);
  });
});
