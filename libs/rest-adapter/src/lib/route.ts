import type { Principal, TokenScope } from '@event-monitor/auth';
import type { Actor, DomainDeps } from '@event-monitor/domain';
import type { z } from 'zod';
import { HttpError, HttpErrorCode, type Logger } from './http-errors';

export const API_PREFIX = '/api/event-job';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export type RouteTag = 'Batches' | 'Jobs' | 'Notifications' | 'Worker' | 'Files' | 'Meta';

/** What a route handler gets: the caller, the domain, and the already-read request parts. */
export interface RouteContext {
  request: Request;
  /** Path parameters, percent-decoded; a catch-all (`{...name}`) stays raw for the handler to check. */
  params: Record<string, string>;
  /** The query string as a plain object (the last of repeated keys wins). */
  query: Record<string, string>;
  /** The parsed JSON body, `undefined` when there was none. */
  body: unknown;
  principal: Principal;
  actor: Actor;
  deps: DomainDeps;
  filesRoot: string | undefined;
  logger: Logger | undefined;
  /** Told what a worker call did (claims, completions, failures), e.g. for metrics. */
  onWorkerOutcome?: (outcome: WorkerOutcome) => void;
}

/** What a worker call did: handed out a job, completed one, put one back for a retry, failed one. */
export type WorkerOutcome = 'claimed' | 'completed' | 'retried' | 'failed';

/** A success answer: `data` goes into the envelope. A Response is passed through (files). */
export type RouteResult = { data: unknown; status?: number; message?: string } | Response;

export interface RouteDef {
  method: HttpMethod;
  /** Under the prefix: `batches/{batchId}/archive`; `{name:regex}` constrains; `{...name}` takes the rest. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: RouteTag;
  /** The token scope required; 'public' needs no principal and no database. */
  scope: TokenScope | 'public';
  /** The JSON body schema (as documented); `required: false` lets the body be absent. */
  body?: { schema: z.ZodType; required: boolean };
  /** The query parameters (as documented). */
  query?: z.ZodObject;
  /** Request headers the route reads (documented as header parameters). */
  headers?: readonly { name: string; description: string; schema: Record<string, unknown> }[];
  /** The schema of `data` in the success envelope (documentation only). */
  response?: z.ZodType;
  /** A route that answers with a raw Response (files, the OpenAPI document). */
  raw?: { contentType: string; description: string; /** More types the same route answers (the export's JSON). */ moreContentTypes?: readonly string[] };
  successStatus?: 200 | 201;
  deprecated?: boolean;
  handle(ctx: RouteContext): Promise<RouteResult>;
}

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string; pattern?: RegExp } | { kind: 'rest'; name: string };

export interface CompiledRoute {
  def: RouteDef;
  segments: Segment[];
}

export function compileRoute(def: RouteDef): CompiledRoute {
  const segments = def.path.split('/').map((part): Segment => {
    const rest = /^\{\.\.\.(\w+)\}$/.exec(part);
    if (rest?.[1]) return { kind: 'rest', name: rest[1] };
    const param = /^\{(\w+)(?::(.+))?\}$/.exec(part);
    if (param?.[1]) return param[2] ? { kind: 'param', name: param[1], pattern: new RegExp(param[2]) } : { kind: 'param', name: param[1] };
    return { kind: 'literal', value: part };
  });
  return { def, segments };
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, HttpErrorCode.BAD_REQUEST, 'Malformed percent-encoding in the path');
  }
}

/** Matches raw (still percent-encoded) path segments against a route; returns its params or null. */
export function matchRoute(route: CompiledRoute, raw: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i] as Segment;
    if (segment.kind === 'rest') {
      const restParts = raw.slice(i);
      if (restParts.length === 0 || restParts.every((p) => p === '')) return null;
      params[segment.name] = restParts.join('/');
      return params;
    }
    const part = raw[i];
    if (part === undefined || part === '') return null;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return null;
      continue;
    }
    const value = decodeSegment(part);
    if (segment.pattern && !segment.pattern.test(value)) return null;
    params[segment.name] = value;
  }
  return raw.length === route.segments.length ? params : null;
}

/** The path as OpenAPI writes it: constraints dropped, the catch-all as a plain parameter. */
export function openApiPath(def: RouteDef): string {
  const path = def.path.replace(/\{\.\.\.(\w+)\}/g, '{$1}').replace(/\{(\w+):[^}]+\}/g, '{$1}');
  return `${API_PREFIX}/${path}`;
}

export function pathParamNames(def: RouteDef): string[] {
  return [...def.path.matchAll(/\{(?:\.\.\.)?(\w+)(?::[^}]+)?\}/g)].map((m) => m[1] as string);
}
