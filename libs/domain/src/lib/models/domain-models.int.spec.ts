import mongoose from 'mongoose';
import { useTestDatabase } from '@event-monitor/testing';
import { createDomainModels, ensureIndexes } from './domain-models';
import { DOMAIN_INDEXES } from './indexes';

const db = useTestDatabase();

describe('domain models', () => {
  it('binds to the given connection, once, and never to the global default connection', () => {
    const first = createDomainModels(db.current.connection);
    const second = createDomainModels(db.current.connection);
    expect(second.Job).toBe(first.Job);
    expect(first.Job.db).toBe(db.current.connection);
    expect(Object.keys(mongoose.models)).not.toContain('EventJob');
    expect(first.Job.collection.collectionName).toBe('event_jobs');
    expect(first.Batch.collection.collectionName).toBe('event_batches');
    expect(first.Worker.collection.collectionName).toBe('event_workers');
  });

  it('ensureIndexes creates every declared index (unique ones unique) and is idempotent', async () => {
    const models = createDomainModels(db.current.connection);
    await ensureIndexes(models);
    await ensureIndexes(models);
    const byCollection = {
      event_jobs: await models.Job.collection.listIndexes().toArray(),
      event_batches: await models.Batch.collection.listIndexes().toArray(),
      event_workers: await models.Worker.collection.listIndexes().toArray(),
      audit_events: await models.AuditEvent.collection.listIndexes().toArray(),
      metric_samples: await models.MetricSample.collection.listIndexes().toArray(),
      idempotency_keys: await models.IdempotencyKey.collection.listIndexes().toArray(),
      job_type_flow: await models.JobTypeFlow.collection.listIndexes().toArray(),
      app_settings: await models.RetentionSettings.collection.listIndexes().toArray(),
      bulk_runs: await models.BulkRun.collection.listIndexes().toArray(),
      notification_subscriptions: await models.NotificationSubscription.collection.listIndexes().toArray(),
      notification_deliveries: await models.NotificationDelivery.collection.listIndexes().toArray(),
    };
    for (const spec of DOMAIN_INDEXES) {
      const found = byCollection[spec.collection].find((index) => JSON.stringify(index['key']) === JSON.stringify(spec.key));
      expect({ spec: spec.key, found: !!found }).toEqual({ spec: spec.key, found: true });
      expect(Boolean(found?.['unique'])).toBe(Boolean(spec.unique));
    }
  });

  it('a duplicate job_id is refused by the unique index', async () => {
    const models = createDomainModels(db.current.connection);
    const doc = { job_id: 'job-dup', status: 'pending', created_at: new Date(), updated_at: new Date(), parameters: {} };
    await models.Job.collection.insertOne({ ...doc });
    await expect(models.Job.collection.insertOne({ ...doc })).rejects.toMatchObject({ code: 11000 });
  });
});
