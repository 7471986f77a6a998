// What the matrix acts on, created by the owner over REST: private batches and jobs in the
// states a call needs to succeed (a cancelled job to restart, an archived batch to unarchive,
// a job under a lease for the worker calls).
import { randomBytes } from 'node:crypto';
import { rest, type HttpAnswer } from './http';

export type FixtureKind = 'batch' | 'failed' | 'archived' | 'leased' | 'subscription';

export interface Fixture {
  batchId: string;
  jobId: string;
  jobType: string;
  /** Set for 'leased': the lease the owner's worker holds on jobId. */
  lease?: string;
  /** Set for 'subscription' (and the shared fixture): the owner's notification subscription of batchId. */
  subscriptionId?: string;
}

function expectOk(answer: HttpAnswer, what: string): HttpAnswer {
  if (answer.status >= 300) throw new Error(`fixture: ${what} answered ${answer.status}: ${answer.text}`);
  return answer;
}

export async function createFixture(baseUrl: string, owner: Record<string, string>, kind: FixtureKind): Promise<Fixture> {
  // A job type of its own, so a claim with this type takes exactly this job from the shared queue.
  const jobType = `matrix-${randomBytes(5).toString('hex')}`;
  const created = expectOk(
    await rest(baseUrl, 'POST', 'batches', {
      headers: owner,
      body: { batch_name: `matrix ${kind}`, visibility: 'private', jobs: [{ job_type: jobType, parameters: { event: 'matrix', session: kind } }] },
    }),
    'create batch',
  );
  const fixture: Fixture = { batchId: created.json.data.batch.batch_id, jobId: created.json.data.job_ids[0], jobType };
  if (kind === 'failed') {
    expectOk(await rest(baseUrl, 'POST', `jobs/${fixture.jobId}/cancel`, { headers: owner, body: {} }), 'cancel');
  }
  if (kind === 'archived') {
    expectOk(await rest(baseUrl, 'POST', `batches/${fixture.batchId}/archive`, { headers: owner }), 'archive');
  }
  if (kind === 'leased') {
    const claim = expectOk(
      await rest(baseUrl, 'POST', 'worker/claim', { headers: owner, body: { worker_id: 'matrix-owner', job_types: [jobType] } }),
      'claim',
    );
    if (claim.json.data.job?.job_id !== fixture.jobId) throw new Error(`fixture: claimed ${claim.text}`);
    fixture.lease = claim.json.data.lease.token;
  }
  if (kind === 'subscription') fixture.subscriptionId = await subscribe(baseUrl, owner, fixture.batchId);
  return fixture;
}

/** The owner subscribes a webhook to the batch (a name that never resolves: a test try fails at once). */
export async function subscribe(baseUrl: string, owner: Record<string, string>, batchId: string): Promise<string> {
  const created = expectOk(
    await rest(baseUrl, 'POST', 'notifications', {
      headers: owner,
      body: { name: 'matrix', url: 'https://hooks.invalid/matrix', events: ['batch.finished'], batch_id: batchId },
    }),
    'subscribe',
  );
  return created.json.data.subscription.subscription_id;
}
