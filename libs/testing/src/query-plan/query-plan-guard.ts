/**
 * The query plan guard of the integration suites: useTestDatabase() records every query its
 * connection sends to the guarded collections (driver command monitoring) and, after the file's
 * last test, fails the file when a query shape is not served by a declared index.
 *
 * The guard is configured once per Jest project by a setup file (the index list lives in the
 * domain, which this lib may not import). Queries of other connections (better-auth's, the
 * live server's in its own process, extra connections a test opens) are not recorded.
 */
import type { MongoClient } from 'mongodb';
import { filterShapeKey, findUnservedQueries, formatFindings, type Finding, type GuardConfig } from './plan-checker';
import { queriesOfCommand, type RecordedQuery } from './recorded-query';

export const GUARDED_COLLECTIONS: ReadonlySet<string> = new Set(['event_jobs', 'event_batches']);

const QUERY_COMMANDS = new Set(['find', 'findAndModify', 'update', 'delete', 'count', 'distinct', 'aggregate']);

let configured: GuardConfig | undefined;

/** Called by a project's Jest setup file with the declared indexes and the allowed exceptions. */
export function configureQueryPlanGuard(config: GuardConfig): void {
  configured = config;
}

export function queryPlanGuardConfig(): GuardConfig | undefined {
  return configured;
}

export interface QueryRecorder {
  /** One query per distinct shape and origin, in the order first sent. */
  readonly queries: RecordedQuery[];
  /** Queries sent by the test files themselves (setup, assertions): not checked. */
  readonly skipped: number;
  /** Commands on the guarded collections seen, and the milliseconds the recorder spent on them. */
  readonly observed: number;
  readonly spentMs: number;
  stop(): void;
}

export interface RecordOptions {
  collections?: ReadonlySet<string>;
  /** True for a stack frame's file that is product code (default: workspace sources that are not tests or test helpers). */
  isProductFile?: (file: string) => boolean;
}

const TEST_FILE = /(\.spec\.[cm]?[jt]sx?$)|(\/test-support\/)|(\/libs\/testing(-live)?\/)|(\/test-setup\.ts$)|(\/[^/]*e2e\/)/;

export function isProductSourceFile(file: string): boolean {
  if (file.includes('/node_modules/') || file.startsWith('node:') || !file.startsWith('/')) return false;
  return /\/(libs|apps|tools)\//.test(file) && !TEST_FILE.test(file);
}

const STACK_DEPTH = 100;

/**
 * The innermost product frame of the current (async) stack, as "function (file)", or undefined
 * when only test code and libraries are on it. V8's async stack traces keep the awaiting
 * functions, so a query sent by a domain function called from a test shows that function.
 * Reads V8's call sites directly: formatting the stack (and Jest's source-map step) would cost
 * several times more on every command.
 */
function productOrigin(isProductFile: (file: string) => boolean): string | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.stackTraceLimit = STACK_DEPTH;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, productOrigin);
    for (const site of holder.stack ?? []) {
      const file = site.getFileName();
      if (file && isProductFile(file)) return `${site.getFunctionName() ?? '<anonymous>'} (${relativeToWorkspace(file)})`;
    }
    return undefined;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

function relativeToWorkspace(file: string): string {
  const at = file.search(/\/(libs|apps|tools)\//);
  return at >= 0 ? file.slice(at + 1) : file;
}

/**
 * Records the queries `client` sends to the guarded collections from product code. The client
 * must be opened with `monitorCommands: true`. A test's own queries (fixtures, cleanup,
 * assertions) have no product frame on their stack and are only counted.
 */
export function recordQueries(client: MongoClient, options: RecordOptions = {}): QueryRecorder {
  const collections = options.collections ?? GUARDED_COLLECTIONS;
  const isProductFile = options.isProductFile ?? isProductSourceFile;
  const queries: RecordedQuery[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let observed = 0;
  let spentMs = 0;
  const listener = (event: { commandName: string; command: Record<string, unknown> }): void => {
    if (!QUERY_COMMANDS.has(event.commandName)) return;
    const collection = event.command[event.commandName];
    if (typeof collection !== 'string' || !collections.has(collection)) return;
    const started = performance.now();
    observed++;
    try {
      record(event);
    } finally {
      spentMs += performance.now() - started;
    }
  };
  const record = (event: { commandName: string; command: Record<string, unknown> }): void => {
    const origin = productOrigin(isProductFile);
    if (!origin) {
      skipped++;
      return;
    }
    for (const query of queriesOfCommand(event.commandName, event.command)) {
      // Values differ on every call; the plan depends on the shape only.
      const key = `${shapeKeyOf(query)}|${origin}`;
      if (seen.has(key)) continue;
      seen.add(key);
      queries.push({ ...query, origin });
    }
  };
  client.on('commandStarted', listener);
  return {
    queries,
    get skipped() {
      return skipped;
    },
    get observed() {
      return observed;
    },
    get spentMs() {
      return spentMs;
    },
    stop: () => {
      client.off('commandStarted', listener);
    },
  };
}

function shapeKeyOf(query: RecordedQuery): string {
  return `${query.collection}|${query.kind}|${filterShapeKey(query.filter)}|${JSON.stringify(query.sort ?? null)}|${query.limit !== undefined}`;
}

/** The unserved query shapes among what was recorded, or [] when the guard is satisfied. */
export function unservedQueries(queries: readonly RecordedQuery[], config: GuardConfig): Finding[] {
  return findUnservedQueries(queries, config);
}

export class QueryPlanGuardError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `Query plan guard: ${findings.length} query shape(s) on event_jobs / event_batches are not served by a declared index ` +
        `(DOMAIN_INDEXES) under the equality-sort-range rule. Add or extend an index, change the query, or list a ` +
        `deliberate exception with its reason in QUERY_PLAN_EXCEPTIONS:\n${formatFindings(findings)}`,
    );
    this.name = 'QueryPlanGuardError';
  }
}
