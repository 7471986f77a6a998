import type { z } from 'zod';

/** The token scope an operation needs (a session carries the scopes of its role). */
export type OperationScope = 'read' | 'write';

/**
 * What the domain checks on the objects an operation touches, and so what each actor gets:
 * - `read` / `write` / `admin`: one batch or job named in the input; whoever may not read it gets
 *   NOT_FOUND, whoever may read but not do this gets FORBIDDEN;
 * - `listed`: a read over what the actor may see (others' private objects are left out);
 * - `bulk`: a write over the current batches the actor may write (viewers get FORBIDDEN);
 * - `preview`: what a bulk write would touch;
 * - `create`: anyone but a viewer;
 * - `shared`: installation-wide state every reader sees (flow controls);
 * - `settings`: installation-wide settings only admins read and change (FORBIDDEN for everyone else);
 * - `own`: an object of the actor's own (a notification subscription): its owner and admins act,
 *   everyone else gets NOT_FOUND; a listing shows the actor's own only.
 */
export type ObjectAccess = 'read' | 'write' | 'admin' | 'listed' | 'bulk' | 'preview' | 'create' | 'shared' | 'settings' | 'own';

export type OperationArea = 'batch' | 'job' | 'flow' | 'retention' | 'notify';

export type RestMethod = 'GET' | 'POST' | 'DELETE';

/** One REST route of an operation, under /api/event-job. */
export interface RestDeclaration {
  method: RestMethod;
  /**
   * Under the prefix: `batches/{batchId}/archive`; `{name:regex}` constrains a segment. A path
   * parameter fills the input field of the same name in snake_case (`batchId` -> `batch_id`),
   * taken as sent (the domain looks it up); the body may not name that field again.
   */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'Batches' | 'Jobs' | 'Notifications';
  /**
   * Where the rest of the input comes from: a JSON body (required or optional, checked by the input
   * schema without the path fields) or the query string; none: the path alone (a body is not read).
   */
  from?: 'body' | 'optional-body' | 'query';
  /** The query as a URL carries it, where it differs from the input (documented; `toInput` reshapes). */
  query?: z.ZodObject;
  /** The `Idempotency-Key` request header fills the input's `idempotency_key` (creations). */
  idempotencyHeader?: true;
  /** Reshapes the query string into the input (e.g. flat `sort`/`direction` into the nested sort). */
  toInput?: (query: Record<string, string>) => Record<string, unknown>;
  /** The answer's `data` is `{[wrap]: result}` (the legacy envelopes `{batch}`, `{job}`, `{logs}`). */
  wrap?: string;
  successStatus?: 201;
  deprecated?: boolean;
  /** The success answer's `message` ("Batch created"); routes without one answer "OK". */
  message?: string;
}

/** A CLI command generated from the operation (`event-monitor <group> <command>`). */
export interface CliDeclaration {
  /** `batches`, `jobs`, `job-types`, `retention` or `notifications`. */
  group: 'batches' | 'jobs' | 'job-types' | 'retention' | 'notifications';
  command: string;
  description: string;
  /** Input fields taken as positional arguments, in order (`target.batch_id` nests). */
  args: readonly string[];
  /** Option descriptions by input field (an option without one is not offered). */
  options?: Readonly<Record<string, string>>;
  /** Input fields the command sets itself (`target.all_current: true`): one operation, several commands. */
  fixed?: Readonly<Record<string, unknown>>;
  /**
   * Asks "<Action>?" before acting, or needs --yes when stdin is not a terminal. `preview`: the
   * operation (same area) whose `{batches, jobs}` answer fills the action; when it finds no jobs,
   * `nothing` is printed and nothing is done.
   */
  confirm?: {
    action: string;
    preview?: string;
    nothing?: string;
    /**
     * The preview takes input: the command's input (the fields its schema has) plus these. Without
     * it the preview is called with no input.
     */
    previewInput?: Readonly<Record<string, unknown>>;
    /** The input field the preview's `confirm_phrase` goes into once the user said yes. */
    confirmField?: string;
  };
  /** The one line printed on success (without --json): `{field}` is replaced from the input and the answer. */
  done: string;
}

/**
 * One batch or job operation, declared once: the tRPC procedure, the REST routes, the OpenAPI
 * operations, the CLI command and the authorization matrix rows are generated from it, and the
 * domain binds it to one domain call (libs/domain operations).
 */
export interface OperationDeclaration<
  Input extends z.ZodObject | undefined = z.ZodObject | undefined,
  Output extends z.ZodType = z.ZodType,
> {
  area: OperationArea;
  scope: OperationScope;
  access: ObjectAccess;
  /** Query (reads) or mutation (changes); REST reads are GET. */
  kind: 'query' | 'mutation';
  /** The input as tRPC takes it (REST assembles the same object from path, body or query). */
  input: Input;
  /** tRPC may be called without input (the schema's defaults apply). */
  inputOptional?: boolean;
  /** The answer as JSON (the REST `data`, before `wrap`). */
  output: Output;
  /** false: no tRPC procedure (a REST-only form of another operation). */
  trpc?: false;
  rest?: readonly RestDeclaration[];
  /** One command, or several forms of the operation (each its own command). */
  cli?: CliDeclaration | readonly CliDeclaration[];
}

/** Declares an operation, keeping its schema types and flags (literal types) for the doors. */
export function operation<const D extends OperationDeclaration>(declaration: D): D {
  return declaration;
}

/** The input field a path parameter fills: `batchId` -> `batch_id`. */
export function inputFieldOf(pathParam: string): string {
  return pathParam.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The path parameters of a REST path, in order (`{name}`, `{name:regex}`, `{...name}`). */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(/\{(?:\.\.\.)?(\w+)(?::[^}]+)?\}/g)].map((match) => match[1] as string);
}
