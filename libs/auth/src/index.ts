export { createAuth, DEACTIVATED_CODE, TOKEN_PERMISSION_KEY, type CreateAuthOptions, type EventMonitorAuth } from './lib/auth';
export { authenticate, tokenFromHeaders, type AuthenticateOptions } from './lib/authenticate';
export {
  createUser,
  ensureFirstAdmin,
  getUser,
  listUsers,
  resetUserPassword,
  setUserActive,
  setUserRole,
  type CreateUserInput,
  type FirstAdminResult,
  type UserDto,
} from './lib/accounts';
export { userNamesById, type UserName } from './lib/user-names';
export {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenDto,
  type CreateApiTokenInput,
  type CreatedApiToken,
} from './lib/tokens';
export {
  AUTH_BASE_PATH,
  SERVED_AUTH_ENDPOINTS,
  authEndpoints,
  handleAuthRequest,
  type AuthEndpoint,
} from './lib/served-endpoints';
export { CrossSiteRequestError, RateLimitedError } from './lib/errors';
export { AuthEnv, readAuthEnv } from './lib/env';
export { appOrigins, crossSiteRefusal, type AppOriginsInput } from './lib/origins';
export { TOKEN_CACHE_TTL_MS } from './lib/token-cache';
export { RATE_LIMITS_COLLECTION, SharedCounters, sweepExpiredCounters } from './lib/shared-counters';
export {
  ROLES,
  TOKEN_SCOPES,
  hasScope,
  isRole,
  scopesOfRole,
  type Principal,
  type TokenScope,
} from './lib/principal';
