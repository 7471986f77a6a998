// The one public entry of @event-monitor/domain: models, schemas, rules and services of batches and jobs.

export {
  DomainError,
  DomainErrorCode,
  fromZodError,
  isDomainError,
  parseInput,
  type ValidationDetails,
} from './lib/errors';
export { LANGUAGES, LANGUAGE_CODES, type LanguageCodeValue } from '@event-monitor/contracts';
export { ROLES, type Actor, type Role } from './lib/actor';
export { nowOf, type DomainDeps } from './lib/context';

// Schemas (zod value + inferred type of the same name)
export {
  BatchId,
  BooleanLike,
  HttpUrl,
  JobId,
  JobStatus,
  LanguageCode,
  LogLevel,
  NewBatchId,
  Visibility,
} from '@event-monitor/contracts';
export {
  BatchJobInput,
  CancelJobInput,
  CreateJobInput,
  DeleteJobInput,
  GetJobLogsInput,
  JobParametersInput,
  JobSortField,
  ListJobsFields,
  ListJobsInput,
  RestartJobInput,
  SortDirection,
} from '@event-monitor/contracts';
export {
  ChangeLanguageInput,
  ChangeLanguageTarget,
  CreateBatchInput,
  DeleteBatchInput,
  FailAllInput,
  ListBatchesInput,
  MAX_JOBS_PER_BATCH,
  RestartBatchInput,
  SetAllPendingInput,
} from '@event-monitor/contracts';
export {
  AppendLogsInput,
  ClaimInput,
  CompleteJobInput,
  FailJobInput,
  HeartbeatInput,
  JobErrorInput,
  JobResultsInput,
  LeaseRef,
  ListStaleLeasesInput,
  ListWorkersInput,
  LogEntryInput,
  MAX_LOG_LINES,
  ProgressInput,
  ReconcileBatchesInput,
  RecoverLeasesInput,
  ReportProgressInput,
  WorkerAppendLogsInput,
  WorkerId,
} from '@event-monitor/contracts';
export { AuditAction, AuditTrailInput, AuditTrailTarget, ListAuditEventsInput } from './lib/schemas/audit.schema';
export { BatchProgressInput, METRICS_RANGES, MetricsRange, MetricsRangeInput } from './lib/schemas/metrics.schema';

// Models
export { createDomainModels, ensureIndexes, type DomainModels } from './lib/models/domain-models';
export {
  AUDIT_COLLECTION,
  BATCHES_COLLECTION,
  DOMAIN_INDEXES,
  JOBS_COLLECTION,
  METRIC_SAMPLES_COLLECTION,
  QUERY_PLAN_EXCEPTIONS,
  QUERY_PLAN_GUARD,
  WORKERS_COLLECTION,
  type IndexSpec,
  type QueryPlanException,
} from './lib/models/indexes';
export type { BatchModel, BatchRecord } from './lib/models/batch.model';
export type {
  JobErrorRecord,
  JobModel,
  JobParametersRecord,
  JobRecord,
  JobResultsRecord,
  LeaseRecord,
  LogEntryRecord,
  ProgressRecord,
} from './lib/models/job.model';
export type { WorkerModel, WorkerRecord } from './lib/models/worker.model';
export type { MetricSampleModel, MetricSampleRecord } from './lib/models/metric-sample.model';
export {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  MAX_AUDIT_IDS,
  type AuditActorRecord,
  type AuditEventModel,
  type AuditEventRecord,
  type AuditTargetRecord,
  type AuditTargetType,
  type AuditVia,
} from './lib/models/audit.model';
export type { AccessControlRecord } from './lib/models/shared-schemas';

// DTOs and mappers
export { toBatchDto, countersOf, type BatchDto } from './lib/mappers/batch.mapper';
export {
  JOB_LIST_PROJECTION,
  mergeLogs,
  toJobDto,
  toJobListItemDto,
  type JobDto,
  type JobListItemDto,
  type JobParametersDto,
  type JobResultsDto,
  type LeaseDto,
  type LogEntryDto,
} from './lib/mappers/job.mapper';
export { toWorkerDto, type WorkerDto, type WorkerJobDto } from './lib/mappers/worker.mapper';
export { toAuditEventDto, type AuditEventDto } from './lib/mappers/audit.mapper';

// Rules
export {
  TRANSITIONS,
  assertTransition,
  canTransition,
  deriveBatchStatus,
  retryBackoffMs,
  transitionDelta,
  DEFAULT_MAX_ATTEMPTS,
  type BatchCounters,
  type JobEvent,
} from './lib/job-state';
export {
  assertAccess,
  ACCESS_FILTER_FIELDS,
  canAdmin,
  canCreate,
  canRead,
  canWrite,
  defaultAccessControl,
  readableFilter,
  writableFilter,
  type AccessLevel,
  type AccessSubject,
} from './lib/access/access.policy';

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
export { COUNT_CAP, MAX_CURSOR_LENGTH, type BoundedTotal } from './lib/services/keyset-page';
export {
  appendLogs,
  claimNextJob,
  completeJob,
  failJob,
  heartbeat,
  legacyActivity,
  LEGACY_STALE_AFTER_MS,
  listStaleLeases,
  listWorkers,
  reportProgress,
  type ClaimResult,
  type LegacyActivity,
  type StaleLeaseDto,
  type WorkerTransitionResult,
  type CompleteResult,
} from './lib/services/worker.service';
export {
  recoverExpiredLeases,
  syncBatchFlags,
  tidyLegacyWrites,
  type LegacyTidyResult,
  type RecoverResult,
} from './lib/services/maintenance.service';
export { isInOutputLocation, legacyResultFiles, normalizeResultPath } from './lib/services/result-files';
export {
  reconcileBatch,
  reconcileBatches,
  type BatchCounterState,
  type ReconcileResult,
} from './lib/services/batch-counters';
export {
  auditTrailFor,
  listAuditEvents,
  recordAudit,
  type AuditEntry,
  type AuditEventList,
  type AuditTrail,
} from './lib/services/audit.service';

// Live updates
export {
  createChangeFeed,
  createChangeReadFilter,
  type ChangeEvent,
  type ChangeFeed,
  type ChangeFeedMode,
  type ChangeFeedOptions,
  type ChangeFeedStats,
  type ChangeKind,
  type ChangeListener,
  type ChangeOp,
} from './lib/live/change-feed';

// Metrics
export {
  batchProgress,
  durationPercentiles,
  failuresByCode,
  jobThroughput,
  queueDepthSeries,
  sampleQueueDepth,
  DURATION_SAMPLE_LIMIT,
  METRIC_SAMPLE_RETENTION_MS,
  type BatchProgressItem,
  type BatchProgressList,
  type DurationPercentiles,
  type FailureCodeCount,
  type FailuresByCode,
  type MetricsWindow,
  type QueueDepthPoint,
  type QueueDepthSample,
  type QueueDepthSeries,
  type Throughput,
  type ThroughputBucket,
} from './lib/services/metrics.service';
