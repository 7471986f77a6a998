import {
  BATCH_OPERATIONS,
  FLOW_OPERATIONS,
  RETENTION_OPERATIONS,
  NOTIFY_OPERATIONS,
  IDEMPOTENCY_HEADER,
  inputFieldOf,
  JOB_OPERATIONS,
  pathParamsOf,
  type OperationDeclaration,
  type RestDeclaration,
} from '@event-monitor/contracts';
import { BATCH_HANDLERS, DomainError, DomainErrorCode, FLOW_HANDLERS, JOB_HANDLERS, NOTIFY_HANDLERS, parseInput, RETENTION_HANDLERS, type Actor, type DomainDeps } from '@event-monitor/domain';
import { z } from 'zod';
import { bodyObject } from './input';
import type { RouteContext, RouteDef, RouteResult } from './route';

type Handler = (deps: DomainDeps, actor: Actor, input?: unknown) => Promise<unknown>;

/** The input fields the path gives (`{batchId}` -> `batch_id`), with the raw path values. */
function pathFields(rest: RestDeclaration, params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(pathParamsOf(rest.path).map((name) => [inputFieldOf(name), params[name] as string]));
}

/** The part of the input that comes in the body or the query: the input without the path fields. */
function requestPartOf(declaration: OperationDeclaration, rest: RestDeclaration): z.ZodObject | undefined {
  const input = declaration.input;
  if (!input) return undefined;
  const fromPath = pathParamsOf(rest.path).map(inputFieldOf);
  return fromPath.length === 0 ? input : input.omit(Object.fromEntries(fromPath.map((field) => [field, true])) as Record<string, true>);
}

/** A REST route of a declared operation: the input assembled from path, body or query, one domain call. */
function routeOf(declaration: OperationDeclaration, rest: RestDeclaration, handler: Handler): RouteDef {
  const part = requestPartOf(declaration, rest);
  const body = rest.from === 'body' || rest.from === 'optional-body' ? part : undefined;
  const query = rest.from === 'query' ? (rest.query ?? part) : undefined;
  const data = rest.wrap ? z.object({ [rest.wrap]: declaration.output }) : declaration.output;
  return {
    method: rest.method,
    path: rest.path,
    operationId: rest.operationId,
    summary: rest.summary,
    ...(rest.description ? { description: rest.description } : {}),
    tag: rest.tag,
    scope: declaration.scope,
    ...(body ? { body: { schema: body, required: rest.from === 'body' } } : {}),
    ...(query ? { query } : {}),
    ...(rest.idempotencyHeader ? { headers: [IDEMPOTENCY_HEADER_DOC] } : {}),
    response: data,
    ...(rest.successStatus ? { successStatus: rest.successStatus } : {}),
    ...(rest.deprecated ? { deprecated: true } : {}),
    handle: async ({ deps, actor, params, body: sent, query: sentQuery, request }: RouteContext): Promise<RouteResult> => {
      const fromPath = pathFields(rest, params);
      let result: unknown;
      if (!declaration.input) {
        result = await handler(deps, actor);
      } else {
        let raw: Record<string, unknown> = {};
        if (body) {
          // The body schema is strict, so a body naming a path field again is refused.
          raw = bodyObject(sent);
        } else if (query) {
          raw = rest.toInput ? rest.toInput(sentQuery) : sentQuery;
        }
        if (rest.idempotencyHeader) raw = withIdempotencyHeader(raw, request);
        // The path values are taken as sent (the domain looks them up: an odd id is a 404, not a 400).
        const checked = part ? parseInput(part, raw) : {};
        result = await handler(deps, actor, { ...checked, ...fromPath });
      }
      return {
        data: rest.wrap ? { [rest.wrap]: result } : result,
        ...(rest.successStatus ? { status: rest.successStatus } : {}),
        ...(rest.message ? { message: rest.message } : {}),
      };
    },
  };
}

const IDEMPOTENCY_HEADER_DOC = {
  name: 'Idempotency-Key',
  description:
    'Makes a retry safe (IETF draft): the same key with the same body answers the first answer again and creates nothing; with another body 422 IDEMPOTENCY_KEY_REUSED. Kept 24 hours, per principal. Same as the body field `idempotency_key`.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};

/** The `Idempotency-Key` header as the input's `idempotency_key`; a body naming another key is a 400. */
function withIdempotencyHeader(raw: Record<string, unknown>, request: Request): Record<string, unknown> {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return raw;
  if (raw['idempotency_key'] !== undefined && raw['idempotency_key'] !== key) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'Invalid input: idempotency_key', {
      fieldErrors: { idempotency_key: ['Differs from the Idempotency-Key header'] },
      formErrors: [],
    });
  }
  return { ...raw, idempotency_key: key };
}

function routesOf(declarations: Record<string, OperationDeclaration>, handlers: Record<string, Handler>): RouteDef[] {
  return Object.entries(declarations).flatMap(([name, declaration]) =>
    (declaration.rest ?? []).map((rest) => routeOf(declaration, rest, handlers[name] as Handler)),
  );
}

/** A route's place: literal paths (`batches/stats`) before the patterns that would also match them. */
function specificity(route: RouteDef): number[] {
  return route.path.split('/').map((segment) => (segment.startsWith('{') ? 1 : 0));
}

function bySpecificity(a: RouteDef, b: RouteDef): number {
  const [sa, sb] = [specificity(a), specificity(b)];
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return (sa[i] as number) - (sb[i] as number);
  return 0;
}

/** The REST routes of every batch and job operation, generated from the operation table. */
export const operationRoutes: RouteDef[] = [
  ...routesOf(BATCH_OPERATIONS, BATCH_HANDLERS as unknown as Record<string, Handler>),
  ...routesOf(JOB_OPERATIONS, JOB_HANDLERS as unknown as Record<string, Handler>),
  ...routesOf(FLOW_OPERATIONS, FLOW_HANDLERS as unknown as Record<string, Handler>),
  ...routesOf(RETENTION_OPERATIONS, RETENTION_HANDLERS as unknown as Record<string, Handler>),
  ...routesOf(NOTIFY_OPERATIONS, NOTIFY_HANDLERS as unknown as Record<string, Handler>),
].sort(bySpecificity);
