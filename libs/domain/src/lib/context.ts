import type { AuditEventRecord } from './models/audit.model';
import type { DomainModels } from './models/domain-models';
import type { NotifyOptions } from './services/notify.service';

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
  /** How notifications are sent (retries, timeouts, private targets, e-mail); defaults apply. */
  notify?: Partial<NotifyOptions>;
}

export function nowOf(deps: DomainDeps): Date {
  return deps.now ? deps.now() : new Date();
}
