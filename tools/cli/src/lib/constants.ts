import type { RouterInputs, RouterOutputs } from '@event-monitor/client';

// Known here so a wrong value is a usage error before any request; `satisfies` keeps them in step
// with the API's types.
export const JOB_STATUSES = [
  'pending',
  'processing',
  'completed',
  'failed',
] as const satisfies readonly RouterOutputs['job']['get']['status'][];
export const ROLES = [
  'admin',
  'operator',
  'viewer',
] as const satisfies readonly RouterInputs['user']['create']['role'][];
export const TOKEN_SCOPES = [
  'worker',
  'read',
  'write',
] as const satisfies readonly RouterInputs['token']['create']['scopes'][number][];
