import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import {
  claimNextJob,
  completeJob,
  createBatch,
  createDomainModels,
  ensureIndexes,
  NOTIFY_HANDLERS,
  sendDueDeliveries,
  type DomainDeps,
} from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { readServerEnv } from './env';
import { runMaintenanceOnce } from './maintenance';
import { notifyOptionsFromEnv } from './notify';

interface Mail {
  to: string[];
  text: string;
}

/** A real SMTP server on 127.0.0.1 that keeps what it is sent. */
async function startSmtp(): Promise<{ server: SMTPServer; port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, mails };
}

describe('e-mail notifications over SMTP (SMTP_URL)', () => {
  const db = useTestDatabase();
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let domain: DomainDeps;
  const userId = new Types.ObjectId();
  const actor = { userId: userId.toHexString(), role: 'operator' as const };

  beforeAll(async () => {
    smtp = await startSmtp();
    const env = readServerEnv({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: 'Event Monitor <em@test.local>' });
    domain = { models: createDomainModels(db.current.connection), notify: notifyOptionsFromEnv(env) };
    await ensureIndexes(domain.models);
    // better-auth's user document: where the address comes from (never from the subscriber's input).
    await db.current.connection.collection('user').insertOne({ _id: userId, email: 'ops@test.local', name: 'Ops', role: 'operator' });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  it('mails the owner when a batch finishes; a deactivated owner gets nothing', async () => {
    const list = (await NOTIFY_HANDLERS.list(domain, actor, {})) as { email_available: boolean };
    expect(list.email_available).toBe(true);
    const created = (await NOTIFY_HANDLERS.create(domain, actor, { name: 'mail me', channel: 'email', events: ['batch.finished'] } as never)) as {
      subscription: { email: string };
      secret?: string;
    };
    expect(created.subscription.email).toBe('ops@test.local');
    expect(created.secret).toBeUndefined();
    await runMaintenanceOnce(domain, { legacyTimeoutMs: 3_600_000 });

    const { batch } = await createBatch(domain, actor, { batch_name: 'Mail batch', jobs: [{ job_type: 'mail', parameters: { session: 'one' } }] });
    const claimed = await claimNextJob(domain, { worker_id: 'w', job_types: ['mail'] });
    await completeJob(domain, { job_id: claimed!.job.job_id, token: claimed!.lease.token, results: {} });
    const swept = await runMaintenanceOnce(domain, { legacyTimeoutMs: 3_600_000 });
    expect(swept.notificationsQueued).toBe(1);
    expect(await sendDueDeliveries(domain)).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.to).toEqual(['ops@test.local']);
    expect(smtp.mails[0]?.text).toContain('Batch Mail batch finished: 1 completed, 0 failed');
    expect(smtp.mails[0]?.text).toContain(batch.batch_id);
    const delivered = await domain.models.NotificationDelivery.findOne({ batch_id: batch.batch_id }).lean();
    expect(delivered).toMatchObject({ state: 'delivered', attempts: [{ status_code: 250 }] });

    // Deactivated: the next event is given up at its try, nothing is sent.
    await db.current.connection.collection('user').updateOne({ _id: userId }, { $set: { deactivated: true } });
    const { batch: second } = await createBatch(domain, actor, { jobs: [{ job_type: 'mail', parameters: { session: 'two' } }] });
    const next = await claimNextJob(domain, { worker_id: 'w', job_types: ['mail'] });
    await completeJob(domain, { job_id: next!.job.job_id, token: next!.lease.token, results: {} });
    await runMaintenanceOnce(domain, { legacyTimeoutMs: 3_600_000 });
    await sendDueDeliveries(domain);
    expect(smtp.mails).toHaveLength(1);
    expect(await domain.models.NotificationDelivery.countDocuments({ batch_id: second.batch_id, state: 'delivered' })).toBe(0);
  });

  it('without SMTP_URL there is no e-mail channel: creating one is a 4xx naming the field', async () => {
    const plain = { models: domain.models };
    expect(((await NOTIFY_HANDLERS.list(plain, actor, {})) as { email_available: boolean }).email_available).toBe(false);
    await expect(NOTIFY_HANDLERS.create(plain, actor, { name: 'x', channel: 'email', events: ['job.failed'] } as never)).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { channel: [expect.stringContaining('SMTP_URL')] } },
    });
  });
});
