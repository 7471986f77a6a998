// The one public entry of @event-monitor/domain: models, schemas, rules and services of batches and jobs.

export {
  DomainError,
  DomainErrorCode,
  fromZodError,
  isDomainError,
  parseInput,
  type ValidationDetails,
} from './lib/errors';
export { ROLES, type Actor, type Role } from './lib/actor';
export { type DomainDeps } from './lib/context';

// Schemas (zod value + inferred type of the same name)
export { BatchId, JobId, JobStatus, LanguageCode, LogLevel, Visibility } from '@event-monitor/contracts';
export {
  CancelJobInput,
  CreateJobInput,
  DeleteJobInput,
  GetJobLogsInput,
  JobSortField,
  ListJobsFields,
  ListJobsInput,
  RestartJobInput,
  SortDirection,
} from '@event-monitor/contracts';
export {
  ChangeLanguageInput,
  CreateBatchInput,
  DeleteBatchInput,
  FailAllInput,
  ListBatchesInput,
  RestartBatchInput,
  SetAllPendingInput,
} from '@event-monitor/contracts';
export {
  ClaimInput,
  CompleteJobInput,
  FailJobInput,
  HeartbeatInput,
  ListStaleLeasesInput,
  ListWorkersInput,
  ReportProgressInput,
  WorkerAppendLogsInput,
} from '@event-monitor/contracts';
export { AuditTrailInput, ListAuditEventsInput } from './lib/schemas/audit.schema';
export { BatchProgressInput, MetricsRangeInput } from './lib/schemas/metrics.schema';

// Models
export { createDomainModels, ensureIndexes } from './lib/models/domain-models';
export {
  BATCHES_COLLECTION,
  JOBS_COLLECTION,
  QUERY_PLAN_GUARD,
  WORKERS_COLLECTION,
} from './lib/models/indexes';
export type { BatchRecord } from './lib/models/batch.model';
export type { JobRecord } from './lib/models/job.model';
export { type AuditEventRecord } from './lib/models/audit.model';

// DTOs and mappers
export { type BatchDto } from './lib/mappers/batch.mapper';
export {
  JOB_LIST_PROJECTION,
  type JobDto,
  type JobListItemDto,
  type LogEntryDto,
} from './lib/mappers/job.mapper';

// Rules
export { deriveBatchStatus, DEFAULT_MAX_ATTEMPTS } from './lib/job-state';
export { canRead, defaultAccessControl, readableFilter } from './lib/access/access.policy';

// Services
export {
  archiveBatch,
  batchStats,
  changeLanguage,
  countBatchTabs,
  createBatch,
  deleteBatch,
  failAllBatches,
  getBatch,
  listBatches,
  previewFailAll,
  previewSetAllPending,
  restartBatch,
  setAllPending,
  setBatchActive,
  unarchiveBatch,
  type BatchList,
  type BatchStats,
  type ChangeLanguageResult,
} from './lib/services/batch.service';
export {
  cancelJob,
  createJob,
  deleteJob,
  getJob,
  getJobLogs,
  listJobs,
  restartJob,
  type JobList,
} from './lib/services/job.service';
export {
  BULK_PAGE_SIZE,
  bulkCancel,
  bulkChangeLanguage,
  bulkDelete,
  bulkFail,
  bulkProgress,
  bulkRestart,
  bulkSetPriority,
  deleteOldBulkRuns,
  previewBulk,
  type BulkPreview,
  type BulkRunResult,
} from './lib/services/bulk.service';
export { COUNT_CAP } from './lib/services/keyset-page';
export { type FailureGroups } from './lib/services/failure.service';
export { errorSignature } from './lib/services/error-signature';
export { exportJobs } from './lib/services/export.service';
export {
  appendLogs,
  claimNextJob,
  completeJob,
  failJob,
  heartbeat,
  legacyActivity,
  listStaleLeases,
  listWorkers,
  reportProgress,
  type ClaimResult,
} from './lib/services/worker.service';
export { recoverExpiredLeases, syncBatchFlags, tidyLegacyWrites } from './lib/services/maintenance.service';
export { indexAllSearchTerms, indexSearchTerms } from './lib/services/search-index.service';
export { legacyResultFiles } from './lib/services/result-files';
export { reconcileBatches } from './lib/services/batch-counters';
export { auditTrailFor, listAuditEvents, recordAudit, type AuditEventList, type AuditTrail } from './lib/services/audit.service';
export { type AuditEventDto } from './lib/mappers/audit.mapper';

// The domain call of each declared operation (the doors generate themselves from these)
export { BATCH_HANDLERS } from './lib/operations/batch.operations';
export { JOB_HANDLERS } from './lib/operations/job.operations';
export type { OperationHandler, OperationHandlers } from './lib/operations/bind';

// Live updates
export {
  createChangeFeed,
  createChangeReadFilter,
  type ChangeEvent,
  type ChangeFeed,
  type ChangeListener,
} from './lib/live/change-feed';

// Metrics
export {
  batchProgress,
  durationPercentiles,
  failuresByCode,
  jobThroughput,
  queueDepthSeries,
  sampleQueueDepth,
} from './lib/services/metrics.service';
export { FLOW_HANDLERS } from './lib/operations/flow.operations';
export {
  FLOW_CACHE_MS,
  listJobTypeFlow,
  pauseJobType,
  recountFlowSlots,
  resumeJobType,
  setJobTypeLimits,
  SLOT_GRACE_MS,
  type FlowRecount,
  type JobTypeFlowDto,
} from './lib/services/flow.service';
export { deleteExpiredIdempotencyKeys, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS } from './lib/services/idempotency.service';
export type { JobTypeFlowRecord } from './lib/models/job-type-flow.model';
export type { IdempotencyKeyRecord } from './lib/models/idempotency-key.model';
export { IDEMPOTENCY_KEYS_COLLECTION, JOB_TYPE_FLOW_COLLECTION } from './lib/models/indexes';
export { RETENTION_HANDLERS } from './lib/operations/retention.operations';
export {
  previewRetention,
  RETENTION_AUTO_INTERVAL_MS,
  RETENTION_SYSTEM_ACTOR,
  runRetention,
  runRetentionIfDue,
  setBatchRetention,
  setRetentionPolicy,
  type RetentionPreviewDto,
  type RetentionRunDto,
} from './lib/services/retention.service';
export type { RetentionSettingsRecord } from './lib/models/settings.model';
export { APP_SETTINGS_COLLECTION } from './lib/models/indexes';
export { findUsers, shareBatch, type BatchSharingDto, type FoundUser } from './lib/services/sharing.service';
export { traced } from './lib/tracing';
export { NOTIFY_HANDLERS } from './lib/operations/notify.operations';
export {
  DEFAULT_NOTIFY_OPTIONS,
  deleteOldDeliveries,
  queueDelivery,
  retryDelayMs,
  sendDueDeliveries,
  type DeliveryDto,
  type NotifyOptions,
  type SubscriptionDto,
} from './lib/services/notify.service';
export { detectNotificationEvents, NOTIFY_FEED_ID, type NotifySweepResult } from './lib/services/notify-events';
export { isPublicAddress, newWebhookSecret, sendWebhook, signedHeaders } from './lib/services/notify-send';
export type { NotificationDeliveryRecord, NotificationSubscriptionRecord } from './lib/models/notification.model';
export { NOTIFICATION_DELIVERIES_COLLECTION, NOTIFICATION_SUBSCRIPTIONS_COLLECTION } from './lib/models/indexes';
