import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import superjson from 'superjson';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '@event-monitor/db';
import { ZodError } from 'zod';
import { findJsonInputProblem } from '@event-monitor/contracts';
import {
  DomainError,
  DomainErrorCode,
  fromZodError,
  type Actor,
  type ValidationDetails,
  type ChangeFeed,
  type DomainDeps,
} from '@event-monitor/domain';
import {
  hasScope,
  RateLimitedError,
  type EventMonitorAuth,
  type Principal,
  type TokenScope,
} from '@event-monitor/auth';

/** What every procedure may use; built by `createContextInner` (tests) or the HTTP adapter. */
export interface ApiContext {
  getDomain: () => Promise<DomainDeps>;
  getAuth: () => Promise<EventMonitorAuth>;
  principal: Principal | null;
  /** The process's change feed (live updates); absent where subscriptions are not served. */
  getChangeFeed?: () => ChangeFeed;
  /**
   * Runs the door's authentication again on the request's headers: who is calling now (null when
   * signed out, deactivated or revoked). A long-lived stream asks it at every heartbeat.
   */
  revalidate?: () => Promise<Principal | null>;
  /** The live stream's heartbeat (default LIVE_HEARTBEAT_MS); tests make it short. */
  liveHeartbeatMs?: number;
}

export function createContextInner(context: ApiContext): ApiContext {
  return context;
}

const DOMAIN_TO_TRPC: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'CONFLICT',
  VALIDATION: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  LIMIT_EXCEEDED: 'PAYLOAD_TOO_LARGE',
  IDEMPOTENCY_KEY_REUSED: 'UNPROCESSABLE_CONTENT',
};

/** The one place where errors of the layers below become tRPC errors. */
function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof DomainError) {
    return new TRPCError({ code: DOMAIN_TO_TRPC[error.code], message: error.message, cause: error });
  }
  if (error instanceof RateLimitedError) {
    return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message, cause: error });
  }
  // The app's DatabaseUnavailableError, or a driver error of a server that went away mid-request.
  if (isDatabaseUnavailable(error)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: DATABASE_UNAVAILABLE.message,
      cause: error,
    });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause: error });
}

/** Field names superjson refuses to send (it throws, and the answer would become a 500). */
const UNSENDABLE_FIELDS = new Set(['__proto__', 'constructor', 'prototype']);

/** The validation details as superjson can send them: a field it refuses is named in a form error. */
function sendableValidation(details: ValidationDetails): ValidationDetails {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors = [...(details.formErrors ?? [])];
  for (const [field, messages] of Object.entries(details.fieldErrors ?? {})) {
    if (UNSENDABLE_FIELDS.has(field)) formErrors.push(...messages.map((message) => `${field}: ${message}`));
    else fieldErrors[field] = messages;
  }
  return { fieldErrors, formErrors };
}

const t = initTRPC.context<ApiContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const details =
      cause instanceof ZodError
        ? (fromZodError(cause).details as ValidationDetails)
        : cause instanceof DomainError && cause.code === DomainErrorCode.VALIDATION
          ? (cause.details as ValidationDetails)
          : null;
    const validation = details ? sendableValidation(details) : null;
    return {
      ...shape,
      // Never send stacks or internals to clients.
      message: error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        domainCode: cause instanceof DomainError ? cause.code : null,
        validation,
      },
    };
  },
});

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    // tRPC wraps whatever was thrown below; errors it already classified (input validation,
    // our own TRPCErrors) keep their code, everything else is mapped here.
    const { error } = result;
    throw error.code === 'INTERNAL_SERVER_ERROR' ? toTRPCError(error.cause ?? error) : error;
  }
  return result;
});

/** The REST door's JSON checks (depth, operator keys, NUL, lone surrogates), before any input schema. */
const checkJsonInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = findJsonInputProblem(await getRawInput());
  if (problem) {
    const field = problem.path || 'input';
    const cause = new DomainError(DomainErrorCode.VALIDATION, `Invalid input: ${field}`, {
      fieldErrors: { [field]: [problem.message] },
      formErrors: [],
    });
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** No sign-in needed (health, the caller's own identity). */
export const publicProcedure = t.procedure.use(mapErrors).use(checkJsonInput);

/** Signed in by session or token. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send an API token' });
  const actor: Actor = { ...ctx.principal.actor, via: ctx.principal.via };
  return next({ ctx: { ...ctx, principal: ctx.principal, actor } });
});

function scoped(scope: TokenScope) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!hasScope(ctx.principal, scope)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the "${scope}" permission` });
    }
    return next();
  });
}

/** Reads data the caller may see. */
export const readProcedure = scoped('read');
/** Changes data; viewers and read-only tokens are refused here, the domain checks each object. */
export const writeProcedure = scoped('write');
/** Users and tokens: admins only. */
export const adminProcedure = writeProcedure.use(({ ctx, next }) => {
  if (ctx.principal.actor.role !== 'admin')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
  return next();
});
