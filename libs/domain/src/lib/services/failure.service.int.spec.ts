import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import type { Actor } from '../actor';
import { actors, counterDrift, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { bulkRestart, previewBulk } from './bulk.service';
import { errorSignature } from './error-signature';
import { failureGroups, signUnsignedFailures } from './failure.service';
import { listJobs, restartJob } from './job.service';
import { tidyLegacyWrites } from './maintenance.service';
import { claimNextJob, failJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;
const clock = manualClock();
let seq = 0;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
  await deps.models.AuditEvent.deleteMany({});
});

const PRIVATE = { visibility: 'private' as const, read_access: ['rita'], write_access: [], admin_access: [] };

interface Failure {
  code: string;
  message: string;
  retryable?: boolean;
}

/**
 * A batch of `owner` whose jobs all fail through the worker protocol (claim, fail) with the given
 * errors, one second apart (claim order within a batch is not the list's order).
 */
async function failedBatch(owner: Actor, failures: Failure[], acl: Record<string, unknown> = PRIVATE) {
  const { batch, job_ids } = await createBatch(deps, owner, {
    ...acl,
    batch_name: `batch ${++seq}`,
    jobs: failures.map((_, i) => ({ parameters: params({ session: `Session ${i}` }) })),
  });
  const byJob = new Map(job_ids.map((id, i) => [id, failures[i]]));
  for (let done = 0; done < failures.length; ) {
    const claimed = await claimNextJob(deps, { worker_id: 'w1' });
    if (!claimed) throw new Error('nothing to claim');
    const failure = byJob.get(claimed.job.job_id);
    clock.advance(1000);
    if (!failure) throw new Error(`claimed ${claimed.job.job_id} of another batch`);
    await failJob(deps, {
      job_id: claimed.job.job_id,
      token: claimed.lease.token,
      error: { code: failure.code, message: failure.message },
      retryable: failure.retryable ?? false,
    });
    done++;
  }
  return { batchId: batch.batch_id, jobIds: job_ids };
}

const download = (n: number): Failure => ({
  code: 'DownloadError',
  message: `Download of https://cdn${n}.example.org/v/${n * 7}.mp4 failed with HTTP 50${n % 4}\nTraceback: line ${n}`,
});
const whisper = (n: number): Failure => ({
  code: 'WhisperError',
  message: `Out of memory on /var/media/session-${n}/audio.wav (${n * 100} MB)`,
});
const statusOf = async (jobId: string) => (await deps.models.Job.findOne({ job_id: jobId }).lean())?.status;

describe('failure groups', () => {
  it('groups failures by code and normalised message across batches, with counts, first/last seen and batches', async () => {
    const start = clock.now();
    const a = await failedBatch(actors.owner, [download(1), download(2)]);
    await failedBatch(actors.owner, [whisper(1)]);
    const b = await failedBatch(actors.owner, [download(3)]);
    await failedBatch(actors.owner, [
      { code: 'DownloadError', message: 'Checksum mismatch for job-abc-123' },
    ]);

    const answer = await failureGroups(deps, actors.owner);
    expect(answer).toMatchObject({ failed: 5, groups_total: 3, unsigned: 0 });
    const [first, ...rest] = answer.groups;
    expect(first).toMatchObject({
      signature: errorSignature('DownloadError', 'Download of https://x/y.mp4 failed with HTTP 500'),
      error_code: 'DownloadError',
      pattern: 'Download of <url> failed with HTTP <n>',
      count: 3,
      batches: 2,
      batch_ids: [a.batchId, b.batchId].sort(),
    });
    expect(first?.example).toMatch(
      /^Download of https:\/\/cdn\d\.example\.org\/v\/\d+\.mp4 failed with HTTP 50\d$/,
    );
    // One second apart: the download failures at +1 s, +2 s (batch a) and +4 s (batch b).
    expect(first?.first_seen).toEqual(new Date(start.getTime() + 1000));
    expect(first?.last_seen).toEqual(new Date(start.getTime() + 4000));
    const bySignature = (x: [string, string], y: [string, string]) =>
      errorSignature(...x).localeCompare(errorSignature(...y));
    const others: [string, string][] = [
      ['DownloadError', 'Checksum mismatch for <id>'],
      ['WhisperError', 'Out of memory on <path> (<n> MB)'],
    ];
    expect(rest.map((group) => [group.error_code, group.pattern, group.count, group.batches])).toEqual(
      others.sort(bySignature).map(([code, pattern]) => [code, pattern, 1, 1]),
    );

    const ofBatch = await failureGroups(deps, actors.owner, { batch_id: b.batchId });
    expect(ofBatch.groups.map((group) => [group.pattern, group.count])).toEqual([
      ['Download of <url> failed with HTTP <n>', 1],
    ]);
    const ofCode = await failureGroups(deps, actors.owner, { error_code: 'WhisperError' });
    expect(ofCode).toMatchObject({ failed: 1, groups_total: 1 });
    expect((await failureGroups(deps, actors.owner, { limit: 1 })).groups).toHaveLength(1);
  });

  it("counts only failures the caller may read: another user's private batch is left out", async () => {
    await failedBatch(actors.owner, [download(1), download(2)]);
    await failedBatch(actors.other, [download(3)], {
      visibility: 'private',
      read_access: [],
      write_access: [],
      admin_access: [],
    });
    await failedBatch(actors.other, [download(4)], { visibility: 'public' });

    const count = async (actor: Actor) =>
      (await failureGroups(deps, actor)).groups.map((group) => group.count);
    expect(await count(actors.other)).toEqual([2]); // its own private and its public batch
    expect(await count(actors.reader)).toEqual([3]); // olga's batch lists rita; otto's public batch
    expect(await count(actors.writer)).toEqual([1]); // only the public batch
    expect(await count(actors.admin)).toEqual([4]);
    // A private batch named explicitly is not found, as for the job list.
    const err = await failureGroups(deps, actors.writer, {
      batch_id: (await deps.models.Batch.findOne({ user_id: 'olga' }).lean())!.batch_id,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('NOT_FOUND');
  });

  it('does not count a retry that is scheduled, and a restart or a later success takes the job out', async () => {
    const a = await failedBatch(actors.owner, [
      download(1),
      { ...download(2), retryable: true },
      download(3),
    ]);
    expect((await failureGroups(deps, actors.owner)).groups.map((group) => group.count)).toEqual([2]);
    const retrying = await deps.models.Job.findOne({ job_id: { $in: a.jobIds }, status: 'pending' }).lean();
    expect(retrying?.error_signature).toBe(
      errorSignature('DownloadError', 'Download of <url> failed with HTTP <n>'),
    );

    const failed = await deps.models.Job.find({ job_id: { $in: a.jobIds }, status: 'failed' }).lean();
    await restartJob(deps, actors.owner, failed[0]!.job_id);
    expect(
      (await deps.models.Job.findOne({ job_id: failed[0]!.job_id }).lean())?.error_signature,
    ).toBeUndefined();
    expect((await failureGroups(deps, actors.owner)).groups.map((group) => group.count)).toEqual([1]);
  });

  it('groups legacy failures without a signature, and the sweep signs them so a group restart reaches them', async () => {
    const a = await failedBatch(actors.owner, [download(1)]);
    const now = clock.now();
    // What the legacy Python side writes: status and error, no signature, no completed_at, no code.
    await deps.models.Job.collection.insertMany([
      {
        job_id: 'job-legacy-1',
        batch_id: a.batchId,
        status: 'failed',
        created_at: now,
        updated_at: now,
        user_id: 'olga',
        access_control: PRIVATE,
        error: {
          code: 'DownloadError',
          message: 'Download of http://old.example/a.mp4 failed with HTTP 404',
        },
      },
      {
        job_id: 'job-legacy-2',
        batch_id: a.batchId,
        status: 'failed',
        created_at: now,
        updated_at: now,
        user_id: 'olga',
        access_control: PRIVATE,
        error: { message: 'segfault' },
      },
    ]);
    const before = await failureGroups(deps, actors.owner);
    expect(before).toMatchObject({ failed: 3, unsigned: 2, groups_total: 2 });
    expect(before.groups.map((group) => [group.error_code, group.count])).toEqual([
      ['DownloadError', 2],
      ['UNKNOWN', 1],
    ]);

    expect((await tidyLegacyWrites(deps)).signatures_set).toBe(2);
    expect(await signUnsignedFailures(deps)).toBe(0);
    const after = await failureGroups(deps, actors.owner);
    expect(after).toMatchObject({ failed: 3, unsigned: 0, groups_total: 2 });
    const shape = (groups: typeof before.groups) =>
      groups.map(({ signature, error_code, pattern, count, first_seen, last_seen, batch_ids }) => ({
        signature,
        error_code,
        pattern,
        count,
        first_seen,
        last_seen,
        batch_ids,
      }));
    expect(shape(after.groups)).toEqual(shape(before.groups));
  });
  it('takes legacy failures whose error is not text (a number, an object, a string error) without failing the sweep', async () => {
    const now = clock.now();
    const legacy = (n: number, error: unknown) => ({
      job_id: `job-odd-${n}`,
      status: 'failed',
      created_at: now,
      updated_at: now,
      user_id: 'olga',
      access_control: PRIVATE,
      error,
    });
    await deps.models.Job.collection.insertMany([
      legacy(1, { code: 500, message: 12345 }),
      legacy(2, { code: 'E', message: { detail: 'nested' } }),
      legacy(3, 'a plain string'),
    ]);
    const before = await failureGroups(deps, actors.owner);
    expect(before).toMatchObject({ failed: 3, unsigned: 3 });
    expect((await tidyLegacyWrites(deps)).signatures_set).toBe(3);
    const after = await failureGroups(deps, actors.owner);
    expect(after).toMatchObject({ failed: 3, unsigned: 0 });
    expect(after.groups.map((group) => [group.error_code, group.pattern]).sort()).toEqual([
      ['E', '{"detail":"nested"}'],
      ['UNKNOWN', ''],
      ['UNKNOWN', '<n>'],
    ]);
  });
});

describe('unresolved failures and restart of a group', () => {
  it('lists the failed jobs of one signature across batches, in keyset pages', async () => {
    const a = await failedBatch(actors.owner, [download(1), whisper(1), download(2)]);
    const b = await failedBatch(actors.owner, [download(3)]);
    const signature = errorSignature('DownloadError', 'Download of <url> failed with HTTP <n>');
    const first = await listJobs(deps, actors.owner, { error_signature: signature, limit: 2 });
    expect(first).toMatchObject({ total: 3, total_exact: true });
    const second = await listJobs(deps, actors.owner, {
      error_signature: signature,
      limit: 2,
      cursor: first.next_cursor!,
    });
    const ids = [...first.jobs, ...second.jobs].map((job) => job.job_id);
    expect(new Set(ids)).toEqual(new Set([a.jobIds[0], a.jobIds[2], b.jobIds[0]]));
    expect(second.next_cursor).toBeNull();
    expect((await listJobs(deps, actors.other, { error_signature: signature })).total).toBe(0);
  });

  it('restarts exactly the jobs of the group, in every batch it names, with one audit event', async () => {
    const a = await failedBatch(actors.owner, [download(1), whisper(1), download(2)]);
    const b = await failedBatch(actors.owner, [
      download(3),
      { code: 'OtherError', message: 'Download of https://x/1 failed with HTTP 500' },
    ]);
    const c = await failedBatch(actors.other, [download(4)], { visibility: 'public' });
    const [group] = (await failureGroups(deps, actors.owner)).groups;
    expect(group).toMatchObject({ count: 4, batches: 3 });

    // The signature names the group across batches (no batch ids needed); naming them gives the same.
    const selection = { error_signature: group!.signature };
    expect(
      await previewBulk(deps, actors.owner, { ...selection, batch_ids: group!.batch_ids, action: 'restart' }),
    ).toMatchObject({ jobs: 3, batches: 2 });
    const preview = await previewBulk(deps, actors.owner, { ...selection, action: 'restart' });
    // otto's public batch is readable but not writable for olga: the preview and the run leave it out.
    expect(preview).toMatchObject({
      jobs: 3,
      batches: 2,
      confirm_required: true,
      confirm_phrase: 'restart 3 jobs',
    });
    const result = await bulkRestart(deps, actors.owner, {
      ...selection,
      reason: 'CDN back',
      confirm: preview.confirm_phrase,
    });
    expect(result).toMatchObject({ matched: 3, changed: 3, skipped: 0, batches: 2 });
    expect(await Promise.all([...a.jobIds, ...b.jobIds, ...c.jobIds].map(statusOf))).toEqual([
      'pending',
      'failed',
      'pending',
      'pending',
      'failed',
      'failed',
    ]);
    expect(await counterDrift(deps)).toEqual([]);
    const events = await deps.models.AuditEvent.find({ action: 'job.bulk_restart' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 3, details: { filter: { error_signature: group!.signature } } });
    expect(
      (await failureGroups(deps, actors.owner)).groups.map((g) => [g.error_code, g.count]).sort(),
    ).toEqual([
      ['DownloadError', 1],
      ['OtherError', 1],
      ['WhisperError', 1],
    ]);
  });
});
