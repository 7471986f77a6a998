import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { AUDIT_MODEL_NAME, auditEventSchema, type AuditEventModel, type AuditEventRecord } from './audit.model';
import { BATCH_MODEL_NAME, batchSchema, type BatchModel, type BatchRecord } from './batch.model';
import { METRIC_SAMPLE_MODEL_NAME, metricSampleSchema, type MetricSampleModel, type MetricSampleRecord } from './metric-sample.model';
import { JOB_MODEL_NAME, jobSchema, type JobModel, type JobRecord } from './job.model';
import { WORKER_MODEL_NAME, workerSchema, type WorkerModel, type WorkerRecord } from './worker.model';
import { IDEMPOTENCY_KEY_MODEL_NAME, idempotencyKeySchema, type IdempotencyKeyModel, type IdempotencyKeyRecord } from './idempotency-key.model';
import { JOB_TYPE_FLOW_MODEL_NAME, jobTypeFlowSchema, type JobTypeFlowModel, type JobTypeFlowRecord } from './job-type-flow.model';
import {
  NOTIFICATION_DELIVERY_MODEL_NAME,
  NOTIFICATION_SUBSCRIPTION_MODEL_NAME,
  notificationDeliverySchema,
  notificationSubscriptionSchema,
  type NotificationDeliveryModel,
  type NotificationDeliveryRecord,
  type NotificationSubscriptionModel,
  type NotificationSubscriptionRecord,
} from './notification.model';
import { BULK_RUN_MODEL_NAME, bulkRunSchema, type BulkRunModel, type BulkRunRecord } from './bulk-run.model';
import {
  RETENTION_SETTINGS_MODEL_NAME,
  retentionSettingsSchema,
  SEARCH_INDEX_STATE_MODEL_NAME,
  searchIndexStateSchema,
  type RetentionSettingsModel,
  type RetentionSettingsRecord,
  type SearchIndexStateModel,
  type SearchIndexStateRecord,
} from './settings.model';

export interface DomainModels {
  Batch: BatchModel;
  Job: JobModel;
  Worker: WorkerModel;
  AuditEvent: AuditEventModel;
  MetricSample: MetricSampleModel;
  IdempotencyKey: IdempotencyKeyModel;
  JobTypeFlow: JobTypeFlowModel;
  RetentionSettings: RetentionSettingsModel;
  BulkRun: BulkRunModel;
  /** The search indexer's checkpoint (same collection as the retention policy, another `_id`). */
  SearchIndexState: SearchIndexStateModel;
  NotificationSubscription: NotificationSubscriptionModel;
  NotificationDelivery: NotificationDeliveryModel;
}

/** The models bound to `connection` (never mongoose's global default); compiled once per connection. */
export function createDomainModels(connection: Connection): DomainModels {
  return {
    Batch: (connection.models[BATCH_MODEL_NAME] as BatchModel | undefined) ?? connection.model<BatchRecord>(BATCH_MODEL_NAME, batchSchema),
    Job: (connection.models[JOB_MODEL_NAME] as JobModel | undefined) ?? connection.model<JobRecord>(JOB_MODEL_NAME, jobSchema),
    Worker: (connection.models[WORKER_MODEL_NAME] as WorkerModel | undefined) ?? connection.model<WorkerRecord>(WORKER_MODEL_NAME, workerSchema),
    AuditEvent:
      (connection.models[AUDIT_MODEL_NAME] as AuditEventModel | undefined) ??
      connection.model<AuditEventRecord>(AUDIT_MODEL_NAME, auditEventSchema),
    MetricSample:
      (connection.models[METRIC_SAMPLE_MODEL_NAME] as MetricSampleModel | undefined) ??
      connection.model<MetricSampleRecord>(METRIC_SAMPLE_MODEL_NAME, metricSampleSchema),
    IdempotencyKey:
      (connection.models[IDEMPOTENCY_KEY_MODEL_NAME] as IdempotencyKeyModel | undefined) ??
      connection.model<IdempotencyKeyRecord>(IDEMPOTENCY_KEY_MODEL_NAME, idempotencyKeySchema),
    JobTypeFlow:
      (connection.models[JOB_TYPE_FLOW_MODEL_NAME] as JobTypeFlowModel | undefined) ??
      connection.model<JobTypeFlowRecord>(JOB_TYPE_FLOW_MODEL_NAME, jobTypeFlowSchema),
    RetentionSettings:
      (connection.models[RETENTION_SETTINGS_MODEL_NAME] as RetentionSettingsModel | undefined) ??
      connection.model<RetentionSettingsRecord>(RETENTION_SETTINGS_MODEL_NAME, retentionSettingsSchema),
    BulkRun:
      (connection.models[BULK_RUN_MODEL_NAME] as BulkRunModel | undefined) ??
      connection.model<BulkRunRecord>(BULK_RUN_MODEL_NAME, bulkRunSchema),
    SearchIndexState:
      (connection.models[SEARCH_INDEX_STATE_MODEL_NAME] as SearchIndexStateModel | undefined) ??
      connection.model<SearchIndexStateRecord>(SEARCH_INDEX_STATE_MODEL_NAME, searchIndexStateSchema),
    NotificationSubscription:
      (connection.models[NOTIFICATION_SUBSCRIPTION_MODEL_NAME] as NotificationSubscriptionModel | undefined) ??
      connection.model<NotificationSubscriptionRecord>(NOTIFICATION_SUBSCRIPTION_MODEL_NAME, notificationSubscriptionSchema),
    NotificationDelivery:
      (connection.models[NOTIFICATION_DELIVERY_MODEL_NAME] as NotificationDeliveryModel | undefined) ??
      connection.model<NotificationDeliveryRecord>(NOTIFICATION_DELIVERY_MODEL_NAME, notificationDeliverySchema),
  };
}

/** The driver's collections under the models, typed by their records (see `driverCollections`). */
export interface DriverCollections {
  jobs: Collection<JobRecord>;
  batches: Collection<BatchRecord>;
  workers: Collection<WorkerRecord>;
}

/**
 * The worker protocol's hot path writes through these instead of the models: its inputs are parsed
 * by zod before any write and its updates are built here from fixed keys, and Mongoose's casting and
 * cloning of them was about 12 % of the server's CPU per job (docs/performance.md). Typed by the
 * records, so what they return is checked like a model's lean result; the documents they write are
 * the ones the models wrote (legacy-documents and claim suites compare them).
 */
export function driverCollections(models: DomainModels): DriverCollections {
  return {
    jobs: models.Job.collection as unknown as Collection<JobRecord>,
    batches: models.Batch.collection as unknown as Collection<BatchRecord>,
    workers: models.Worker.collection as unknown as Collection<WorkerRecord>,
  };
}

/**
 * Creates the declared indexes (never drops any: the Python side owns some of the same ones,
 * so `syncIndexes` would be wrong here).
 */
export async function ensureIndexes(models: DomainModels): Promise<void> {
  await models.Batch.createCollection().catch(ignoreExists);
  await models.Job.createCollection().catch(ignoreExists);
  await models.Worker.createCollection().catch(ignoreExists);
  await models.AuditEvent.createCollection().catch(ignoreExists);
  await models.MetricSample.createCollection().catch(ignoreExists);
  await models.IdempotencyKey.createCollection().catch(ignoreExists);
  await models.JobTypeFlow.createCollection().catch(ignoreExists);
  await models.RetentionSettings.createCollection().catch(ignoreExists);
  await models.BulkRun.createCollection().catch(ignoreExists);
  await models.NotificationSubscription.createCollection().catch(ignoreExists);
  await models.NotificationDelivery.createCollection().catch(ignoreExists);
  await Promise.all([
    models.Batch.createIndexes(),
    models.Job.createIndexes(),
    models.Worker.createIndexes(),
    models.AuditEvent.createIndexes(),
    models.MetricSample.createIndexes(),
    models.IdempotencyKey.createIndexes(),
    models.JobTypeFlow.createIndexes(),
    models.BulkRun.createIndexes(),
    models.NotificationSubscription.createIndexes(),
    models.NotificationDelivery.createIndexes(),
  ]);
}

function ignoreExists(err: unknown): void {
  if ((err as { codeName?: string }).codeName === 'NamespaceExists') return;
  throw err;
}
