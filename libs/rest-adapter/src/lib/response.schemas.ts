/**
 * The JSON shapes of the worker calls' answers and of the error envelope (the operation table's
 * answers are in @event-monitor/contracts), and the check of every shape against the domain DTO
 * it describes: a DTO field a shape forgets is a type error here.
 */
import {
  BatchJson,
  BatchListJson,
  BatchSharingJson,
  BatchStatsJson,
  BatchTabsJson,
  BulkPreviewJson,
  BulkRunJson,
  ChangeLanguageResultJson,
  FailureGroupsJson,
  FoundUsersJson,
  JobJson,
  JobListItemJson,
  JobListJson,
  LogEntryJson,
} from '@event-monitor/contracts';
import type {
  BatchDto,
  BatchList,
  BatchSharingDto,
  BatchStats,
  BulkPreview,
  BulkRunResult,
  ChangeLanguageResult,
  FailureGroups,
  FoundUser,
  JobDto,
  JobList,
  JobListItemDto,
  LogEntryDto,
} from '@event-monitor/domain';
import { z } from 'zod';

/** A DTO as it travels in JSON: Dates become ISO strings. */
export type Jsonify<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonify<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonify<T[K]> }
      : T;

/** Compiles only when the shape's output is the DTO as JSON carries it. */
type Describes<Shape extends z.ZodType, Dto> = z.output<Shape> extends Jsonify<Dto> ? true : never;

export const SHAPES_MATCH_DTOS: [
  Describes<typeof BatchJson, BatchDto>,
  Describes<typeof LogEntryJson, LogEntryDto>,
  Describes<typeof JobJson, JobDto>,
  Describes<typeof JobListItemJson, JobListItemDto>,
  Describes<typeof BatchListJson, BatchList>,
  Describes<typeof JobListJson, JobList>,
  Describes<typeof ChangeLanguageResultJson, ChangeLanguageResult>,
  Describes<typeof BatchStatsJson, BatchStats>,
  Describes<typeof BatchTabsJson, { current: number; archived: number }>,
  Describes<typeof BulkPreviewJson, BulkPreview>,
  Describes<typeof BulkRunJson, BulkRunResult>,
  Describes<typeof FailureGroupsJson, FailureGroups>,
  Describes<typeof BatchSharingJson, BatchSharingDto>,
  Describes<typeof FoundUsersJson, { users: FoundUser[] }>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];

// A plain string with the format, not the long ISO regex zod would emit into the document.
const DateTime = z.string().meta({ format: 'date-time' });
const Count = z.number().int().min(0);

export const ClaimResponseJson = z.object({
  job: JobJson.nullable(),
  lease: z.object({ token: z.string(), expires_at: DateTime }).optional(),
});
export const HeartbeatResponseJson = z.object({ expires_at: DateTime });
export const ProgressResponseJson = z.object({ job_id: z.string() });
export const AppendLogsResponseJson = z.object({ appended: Count });
export const CompleteResponseJson = z.object({
  job_id: z.string(),
  status: z.literal('completed'),
  /** Only when the call asked for claim_next. */
  next: ClaimResponseJson.optional(),
});
export const FailResponseJson = z.object({
  job_id: z.string(),
  status: z.enum(['pending', 'failed']),
  attempts: Count,
  available_at: DateTime.optional(),
});

export const ErrorEnvelopeJson = z
  .object({
    status: z.literal('error'),
    message: z.string(),
    code: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });
