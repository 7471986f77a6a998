import {
  BATCH_OPERATIONS,
  inputFieldOf,
  JOB_OPERATIONS,
  pathParamsOf,
  type OperationDeclaration,
  type RestDeclaration,
} from '@event-monitor/contracts';
import { BATCH_HANDLERS, JOB_HANDLERS, parseInput, type Actor, type DomainDeps } from '@event-monitor/domain';
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
    response: data,
    ...(rest.successStatus ? { successStatus: rest.successStatus } : {}),
    ...(rest.deprecated ? { deprecated: true } : {}),
    handle: async ({ deps, actor, params, body: sent, query: sentQuery }: RouteContext): Promise<RouteResult> => {
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
].sort(bySpecificity);
