import type { OperationDeclaration } from '@event-monitor/contracts';
import type { z } from 'zod';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { traced } from '../tracing';

/** The domain call of one operation: the input as its declared schema parsed it. */
export type OperationHandler<D extends OperationDeclaration> =
  D extends OperationDeclaration<infer Input>
    ? Input extends z.ZodObject
      ? (deps: DomainDeps, actor: Actor, input: z.output<Input>) => Promise<unknown>
      : (deps: DomainDeps, actor: Actor) => Promise<unknown>
    : never;

/** One domain call per declared operation (a missing or extra one is a type error). */
export type OperationHandlers<Decls extends Record<string, OperationDeclaration>> = {
  [K in keyof Decls]: OperationHandler<Decls[K]>;
};

/**
 * Binds each operation of an area to its domain call, keeping the calls' result types. Every call
 * runs in a span `<area>.<operation>` (`job.list`, `batch.overview`): one place traces what both
 * doors do (a no-op until tracing is on).
 */
export function bindOperations<
  Decls extends Record<string, OperationDeclaration>,
  Handlers extends OperationHandlers<Decls> & Record<Exclude<keyof Handlers, keyof Decls>, never>,
>(declarations: Decls, handlers: Handlers): Handlers {
  const bound: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    const spanName = `${declarations[name]?.area ?? 'operation'}.${name}`;
    bound[name] = (...args) => traced(spanName, () => handler(...args));
  }
  return bound as unknown as Handlers;
}
