import type { AuditEventRecord } from './models/audit.model';
import type { DomainModels } from './models/domain-models';

export type Role = 'admin' | 'operator' | 'viewer';

/** The signed-in user a service call acts for (workers are service accounts and have none). */
export interface Actor {
  userId: string;
  role: Role;
  /** The door the user came in through; recorded in the audit trail. */
  via?: 'session' | 'token' | 'proxy';
}

export interface DomainDeps {
  models: DomainModels;
  /** The clock; tests pass a fixed or stepping one. */
  now?: () => Date;
  /**
   * Told when an audit event could not be stored (after one retry). The change it describes has
   * already happened, so the service does not fail; the host logs or alerts here.
   */
  onAuditError?: (error: unknown, event: AuditEventRecord) => void;
  /** Where list totals stop counting (COUNT_CAP unless set); tests pass a small one. */
  countCap?: number;
}

export function nowOf(deps: DomainDeps): Date {
  return deps.now ? deps.now() : new Date();
}
