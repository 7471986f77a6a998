import type { RouterInputs } from '@event-monitor/client';

// Known here so a wrong value is a usage error before any request; `satisfies` keeps them in step
// with the API's types.
export { JOB_STATUSES } from '@event-monitor/contracts';
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
