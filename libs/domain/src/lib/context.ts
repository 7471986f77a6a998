import type { DomainModels } from './models/domain-models';

export type Role = 'admin' | 'operator' | 'viewer';

/** The signed-in user a service call acts for (workers are service accounts and have none). */
export interface Actor {
  userId: string;
  role: Role;
}

export interface DomainDeps {
  models: DomainModels;
  /** The clock; tests pass a fixed or stepping one. */
  now?: () => Date;
}

export function nowOf(deps: DomainDeps): Date {
  return deps.now ? deps.now() : new Date();
}
