import { ROLES as DOMAIN_ROLES, type Actor, type Role } from '@event-monitor/domain';

/** What an API token may do: `worker` calls the worker protocol, `read` reads, `write` changes. */
export const TOKEN_SCOPES = ['worker', 'read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const ROLES: readonly Role[] = DOMAIN_ROLES;

/** Who is calling, and through which door they came in. */
export interface Principal {
  actor: Actor;
  email?: string;
  name?: string;
  via: 'session' | 'token' | 'proxy';
  /** A session has the scopes its role allows; a token only those it was given. */
  scopes: readonly TokenScope[];
  tokenId?: string;
  /** The session's id when it came in with a session (an admin resetting their own password keeps it). */
  sessionId?: string;
}

/** The scopes a signed-in user has through the role alone. */
export function scopesOfRole(role: Role): TokenScope[] {
  return role === 'viewer' ? ['read'] : ['read', 'write'];
}

export function hasScope(principal: Principal, scope: TokenScope): boolean {
  return principal.scopes.includes(scope);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
