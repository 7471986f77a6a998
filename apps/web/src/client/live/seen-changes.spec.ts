import { burstNeedsRefetch, ECHO_WINDOW_MS, isSeen, shownViews, type FeedChange, type ShownQuery } from './seen-changes';

const T = new Date('2026-12-02T10:00:00.000Z');
const later = (ms: number) => new Date(T.getTime() + ms);

const job = (job_id: string, updated_at: Date) => ({ job_id, updated_at });
const jobList = (batch_id: string, ...jobs: ReturnType<typeof job>[]): ShownQuery => ({
  path: ['job', 'list'],
  input: { batch_id, limit: 50 },
  data: { jobs, total: jobs.length },
});
const batchGet = (batch_id: string, updated_at: Date): ShownQuery => ({
  path: ['batch', 'get'],
  input: { batch_id },
  data: { batch_id, updated_at },
});
const change = (kind: FeedChange['kind'], id: string, at: Date, extra: Partial<FeedChange> = {}): FeedChange => ({
  kind,
  op: 'update',
  id,
  at,
  ...extra,
});

describe('which change-feed events the page has already seen', () => {
  it('a write the refetch after a mutation already shows is seen', () => {
    const views = shownViews([batchGet('b1', later(5)), jobList('b1', job('j1', later(3)), job('j2', later(3)))]);
    expect(isSeen(change('job', 'j1', later(3), { batch_id: 'b1' }), views)).toBe(true);
    expect(isSeen(change('batch', 'b1', later(5)), views)).toBe(true);
  });

  it('a write newer than the shown copy is not seen', () => {
    const views = shownViews([jobList('b1', job('j1', T))]);
    expect(isSeen(change('job', 'j1', later(1), { batch_id: 'b1' }), views)).toBe(false);
    expect(isSeen(change('batch', 'b1', later(1)), shownViews([batchGet('b1', T)]))).toBe(false);
  });

  it('the oldest shown copy decides', () => {
    const views = shownViews([
      jobList('b1', job('j1', later(9))),
      { path: ['job', 'get'], input: { job_id: 'j1' }, data: job('j1', T) },
    ]);
    expect(isSeen(change('job', 'j1', later(5), { batch_id: 'b1' }), views)).toBe(false);
  });

  it('a job its batch list lacks is not seen: it may have just entered the filter or the page', () => {
    const views = shownViews([
      jobList('b1', job('j1', later(9))),
      { path: ['job', 'get'], input: { job_id: 'j2' }, data: job('j2', later(9)) },
    ]);
    expect(isSeen(change('job', 'j2', later(1), { batch_id: 'b1' }), views)).toBe(false);
    expect(isSeen(change('job', 'j3', later(1), { batch_id: 'b1', op: 'insert' }), views)).toBe(false);
  });

  it('a job of a batch no query shows is seen: nothing on the page can change', () => {
    const views = shownViews([jobList('b1', job('j1', T)), batchGet('b1', T)]);
    expect(isSeen(change('job', 'j9', later(1), { batch_id: 'b2' }), views)).toBe(true);
    expect(isSeen(change('job', 'j9', later(1)), views)).toBe(true);
  });

  it('any batch change matters to a batch list that lacks it', () => {
    const list: ShownQuery = { path: ['batch', 'list'], input: {}, data: { batches: [{ batch_id: 'b1', updated_at: later(9) }] } };
    expect(isSeen(change('batch', 'b2', later(1), { op: 'insert' }), shownViews([list]))).toBe(false);
    expect(isSeen(change('batch', 'b1', later(1)), shownViews([list]))).toBe(true);
    expect(isSeen(change('batch', 'b2', later(1)), shownViews([batchGet('b1', T)]))).toBe(true);
  });

  it('a delete is seen once no shown query holds the object any more', () => {
    const views = shownViews([jobList('b1', job('j1', T))]);
    expect(isSeen(change('job', 'j1', later(1), { batch_id: 'b1', op: 'delete' }), views)).toBe(false);
    expect(isSeen(change('job', 'j2', later(1), { batch_id: 'b1', op: 'delete' }), views)).toBe(true);
  });

  it('dates as strings (data not yet deserialised) compare the same, and other queries are ignored', () => {
    const views = shownViews([
      { path: ['job', 'list'], input: { batch_id: 'b1' }, data: { jobs: [{ job_id: 'j1', updated_at: later(3).toISOString() }] } },
      { path: ['audit', 'forBatch'], input: { batch_id: 'b1' }, data: { events: [] } },
    ]);
    expect(views).toHaveLength(1);
    expect(isSeen(change('job', 'j1', later(3), { batch_id: 'b1' }), views)).toBe(true);
    expect(isSeen(change('job', 'j1', later(4), { batch_id: 'b1' }), views)).toBe(false);
  });
});

describe('when a burst of feed events refetches', () => {
  const views = shownViews([batchGet('b1', later(5)), jobList('b1', job('j1', later(3)))]);
  const echo = [change('job', 'j1', later(3), { batch_id: 'b1' }), change('batch', 'b1', later(5))];

  it('the echo of the page own mutation, already shown, does not', () => {
    expect(burstNeedsRefetch(echo, views, 1_500)).toBe(false);
  });

  it('a burst with one unseen change or a resync does', () => {
    expect(burstNeedsRefetch([...echo, change('batch', 'b1', later(6))], views, 1_500)).toBe(true);
    expect(burstNeedsRefetch([...echo, 'resync'], views, 1_500)).toBe(true);
  });

  it('without a mutation of its own, or long after it, every burst does, as before', () => {
    expect(burstNeedsRefetch(echo, views, undefined)).toBe(true);
    expect(burstNeedsRefetch(echo, views, ECHO_WINDOW_MS + 1)).toBe(true);
  });
});
