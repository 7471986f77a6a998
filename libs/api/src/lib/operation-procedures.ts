import type { TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import type { OperationDeclaration } from '@event-monitor/contracts';
import type { z } from 'zod';
import { readProcedure, writeProcedure } from './trpc';

type AnyHandler = (...args: never[]) => Promise<unknown>;

type InputOf<D extends OperationDeclaration> =
  D extends OperationDeclaration<infer Input>
    ? Input extends z.ZodObject
      ? D['inputOptional'] extends true
        ? z.input<Input> | undefined
        : z.input<Input>
      : void
    : never;

/** The procedure tRPC would build for the declaration with this domain call. */
type ProcedureOf<D extends OperationDeclaration, H extends AnyHandler> = D['kind'] extends 'query'
  ? TRPCQueryProcedure<{ input: InputOf<D>; output: Awaited<ReturnType<H>>; meta: object }>
  : TRPCMutationProcedure<{ input: InputOf<D>; output: Awaited<ReturnType<H>>; meta: object }>;

/** The declared operations that have a tRPC procedure (not `trpc: false`). */
type WithProcedure<Decls extends Record<string, OperationDeclaration>> = {
  [K in keyof Decls as Decls[K]['trpc'] extends false ? never : K]: Decls[K];
};

export type OperationProcedures<
  Decls extends Record<string, OperationDeclaration>,
  Handlers extends { [K in keyof Decls]: AnyHandler },
> = { [K in keyof WithProcedure<Decls> & keyof Handlers & string]: ProcedureOf<Decls[K], Handlers[K]> };

/**
 * The tRPC procedures of an area, generated from the operation table: the scope picks the
 * procedure builder, the input schema validates, the kind makes a query or a mutation, and the
 * resolver is the operation's one domain call.
 */
export function operationProcedures<
  Decls extends Record<string, OperationDeclaration>,
  Handlers extends { [K in keyof Decls]: AnyHandler },
>(declarations: Decls, handlers: Handlers): OperationProcedures<Decls, Handlers> {
  const procedures: Record<string, unknown> = {};
  for (const [name, declaration] of Object.entries(declarations)) {
    if (declaration.trpc === false) continue;
    const handler = handlers[name] as unknown as (deps: unknown, actor: unknown, input?: unknown) => Promise<unknown>;
    const base = declaration.scope === 'read' ? readProcedure : writeProcedure;
    const schema = declaration.input;
    const builder = schema ? base.input(declaration.inputOptional ? schema.optional() : schema) : base;
    const resolve = async ({ ctx, input }: { ctx: { getDomain: () => Promise<unknown>; actor: unknown }; input: unknown }) =>
      schema ? handler(await ctx.getDomain(), ctx.actor, input ?? schema.parse({})) : handler(await ctx.getDomain(), ctx.actor);
    procedures[name] = declaration.kind === 'query' ? builder.query(resolve) : builder.mutation(resolve);
  }
  return procedures as OperationProcedures<Decls, Handlers>;
}
