import { TOKEN_NAME_MAX_LENGTH } from '@event-monitor/contracts';
import { DomainError, DomainErrorCode } from '@event-monitor/domain';
import { TOKEN_PERMISSION_KEY, type EventMonitorAuth } from './auth';
import { TOKEN_SCOPES, type TokenScope } from './principal';
import { userNamesById, type UserName } from './user-names';

export interface ApiTokenDto {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it; the token itself is never stored. */
  start: string | null;
  userId: string;
  /** The owner's name and e-mail (listApiTokens); null when the user no longer exists. */
  owner?: UserName | null;
  scopes: TokenScope[];
  enabled: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export interface CreatedApiToken extends ApiTokenDto {
  /** Shown once, at creation. */
  token: string;
}

interface StoredApiKey {
  id: string;
  name?: string | null;
  start?: string | null;
  userId?: string;
  referenceId?: string;
  permissions?: string | Record<string, string[]> | null;
  enabled?: boolean | null;
  createdAt: Date;
  lastRequest?: Date | null;
  expiresAt?: Date | null;
}

export function scopesOfPermissions(permissions: StoredApiKey['permissions']): TokenScope[] {
  const parsed: Record<string, string[]> | null =
    typeof permissions === 'string'
      ? (JSON.parse(permissions) as Record<string, string[]>)
      : (permissions ?? null);
  const granted = parsed?.[TOKEN_PERMISSION_KEY] ?? [];
  return TOKEN_SCOPES.filter((scope) => granted.includes(scope));
}

function toTokenDto(key: StoredApiKey): ApiTokenDto {
  return {
    id: key.id,
    name: key.name ?? '',
    start: key.start ?? null,
    userId: key.userId ?? key.referenceId ?? '',
    scopes: scopesOfPermissions(key.permissions),
    enabled: key.enabled !== false,
    createdAt: key.createdAt,
    lastUsedAt: key.lastRequest ?? null,
    expiresAt: key.expiresAt ?? null,
  };
}

export interface CreateApiTokenInput {
  userId: string;
  name: string;
  scopes: readonly TokenScope[];
  expiresInDays?: number;
}

/** Creates a token bound to a user and scopes; better-auth stores only its hash. */
export async function createApiToken(
  auth: EventMonitorAuth,
  input: CreateApiTokenInput,
): Promise<CreatedApiToken> {
  // The plugin refuses a longer name with an error of its own (a 500 at our doors): say it here.
  if (input.name.length === 0 || input.name.length > TOKEN_NAME_MAX_LENGTH) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'Invalid input: name', {
      fieldErrors: { name: [`1 to ${TOKEN_NAME_MAX_LENGTH} characters`] },
      formErrors: [],
    });
  }
  if (input.scopes.length === 0) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'A token needs at least one scope', {
      fieldErrors: { scopes: ['At least one of worker, read, write'] },
      formErrors: [],
    });
  }
  const created = await auth.api.createApiKey({
    body: {
      userId: input.userId,
      name: input.name,
      permissions: { [TOKEN_PERMISSION_KEY]: [...input.scopes] },
      expiresIn: input.expiresInDays ? input.expiresInDays * 24 * 60 * 60 : null,
    },
  });
  return {
    ...toTokenDto(created as unknown as StoredApiKey),
    token: created.key,
  };
}

async function apiKeyRows(
  auth: EventMonitorAuth,
  where: { field: string; value: string }[],
): Promise<StoredApiKey[]> {
  const ctx = await auth.$context;
  return ctx.adapter.findMany<StoredApiKey>({
    model: 'apikey',
    where,
    sortBy: { field: 'createdAt', direction: 'desc' },
  });
}

export async function listApiTokens(
  auth: EventMonitorAuth,
  filter: { userId?: string } = {},
): Promise<ApiTokenDto[]> {
  const rows = await apiKeyRows(auth, filter.userId ? [{ field: 'referenceId', value: filter.userId }] : []);
  const tokens = rows.map(toTokenDto);
  // The owners' names in ONE query, for the owner column.
  const owners = await userNamesById(auth, tokens.map((token) => token.userId));
  return tokens.map((token) => ({ ...token, owner: owners.get(token.userId) ?? null }));
}

/** Revokes at once: the key is disabled (kept for the record) and refused from the next request on. */
export async function revokeApiToken(auth: EventMonitorAuth, tokenId: string): Promise<ApiTokenDto> {
  const ctx = await auth.$context;
  const updated = await ctx.adapter.update<StoredApiKey>({
    model: 'apikey',
    where: [{ field: 'id', value: tokenId }],
    update: { enabled: false, updatedAt: new Date() },
  });
  if (!updated) throw new DomainError(DomainErrorCode.NOT_FOUND, `Token ${tokenId} not found`);
  return toTokenDto(updated);
}
