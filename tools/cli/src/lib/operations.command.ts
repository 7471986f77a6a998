import { Option, type Command } from 'commander';
import { listOperations, type CliDeclaration, type NamedOperation } from '@event-monitor/contracts';
import type { z } from 'zod';
import type { CommandContext, Connect } from './context';
import { CliError, ExitCode } from './exit-codes';

type Call = { query?: (input?: unknown) => Promise<unknown>; mutate?: (input?: unknown) => Promise<unknown> };

/** The typed client's procedure of an operation, called by its path (`batch.toggleActive`). */
function procedureOf(ctx: CommandContext, path: string): Call {
  const [area, key] = path.split('.') as [string, string];
  return (ctx.client as unknown as Record<string, Record<string, Call>>)[area]?.[key] as Call;
}

async function invoke(ctx: CommandContext, path: string, kind: 'query' | 'mutation', input?: unknown): Promise<unknown> {
  const procedure = procedureOf(ctx, path);
  return kind === 'query' ? (procedure.query as (i?: unknown) => Promise<unknown>)(input) : (procedure.mutate as (i?: unknown) => Promise<unknown>)(input);
}

/** Whether an input field is a boolean (also BooleanLike, optional or defaulted), and whether it has a default. */
function booleanField(schema: z.ZodType | undefined): { boolean: boolean; defaulted: boolean } {
  let node = schema as { _zod: { def: { type: string; innerType?: unknown; options?: unknown[] } } } | undefined;
  let defaulted = false;
  while (node && ['optional', 'default', 'nullable'].includes(node._zod.def.type)) {
    if (node._zod.def.type === 'default') defaulted = true;
    node = node._zod.def.innerType as typeof node;
  }
  const type = node?._zod.def.type;
  const options = (node?._zod.def.options ?? []) as { _zod: { def: { type: string } } }[];
  return { boolean: type === 'boolean' || (type === 'union' && options.some((o) => o._zod.def.type === 'boolean')), defaulted };
}

const camel = (field: string) => field.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
const flag = (field: string) => field.replace(/_/g, '-');

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
}

function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], source);
}

/** `{field}` from the input and the answer; booleans as yes/no. */
function fill(template: string, ...sources: unknown[]): string {
  return template.replace(/\{([\w.]+)\}/g, (_m, path: string) => {
    const value = sources.map((source) => getPath(source, path)).find((v) => v !== undefined);
    return typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value ?? '');
  });
}

async function confirmed(ctx: CommandContext, yes: boolean, action: string): Promise<void> {
  if (yes) return;
  if (!ctx.io.interactive) throw new CliError(`Refusing to ${action} without --yes (stdin is not a terminal)`, ExitCode.USAGE);
  const question = `${action.charAt(0).toUpperCase()}${action.slice(1)}?`;
  if (!(await ctx.io.confirm(question))) throw new CliError('Cancelled; nothing changed', ExitCode.USAGE);
}

/** The preview's input: the command's input fields its schema takes, plus the declared fixed ones; none without those. */
function previewInputOf(path: string, input: Record<string, unknown>, fixed: Readonly<Record<string, unknown>> | undefined): unknown {
  if (!fixed) return undefined;
  const preview = listOperations().find((operation) => operation.procedure === path);
  const keys = Object.keys((preview?.declaration.input?.shape ?? {}) as Record<string, unknown>);
  return { ...Object.fromEntries(Object.entries(input).filter(([key]) => keys.includes(key))), ...fixed };
}

function addCommand(group: Command, operation: NamedOperation & { cli: CliDeclaration }, connect: Connect): void {
  const { cli, declaration } = operation;
  const shape = (declaration.input?.shape ?? {}) as Record<string, z.ZodType>;
  // Made by the group, so it inherits the program's settings (exit override, output).
  const command = group.command(cli.command).description(cli.description);
  for (const arg of cli.args) command.argument(`<${camel(arg.split('.').pop() as string)}>`);
  for (const [field, description] of Object.entries(cli.options ?? {})) {
    const { boolean, defaulted } = booleanField(shape[field]);
    if (!boolean) command.option(`--${flag(field)} <value>`, description);
    else {
      command.option(`--${flag(field)}`, description);
      // Without a default, leaving the flag out means "not given" (e.g. toggle), so --no-x says false.
      if (!defaulted) command.addOption(new Option(`--no-${flag(field)}`).hideHelp());
    }
  }
  if (cli.confirm) command.option('-y, --yes', 'do it without asking (required when stdin is not a terminal)');

  command.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const options = self.opts<Record<string, unknown>>();
    const input: Record<string, unknown> = {};
    cli.args.forEach((arg, i) => setPath(input, arg, received[i]));
    for (const [path, value] of Object.entries(cli.fixed ?? {})) setPath(input, path, value);
    for (const field of Object.keys(cli.options ?? {})) {
      const value = options[camel(field)];
      if (value !== undefined) input[field] = value;
    }
    const ctx = connect(self);
    const procedure = operation.procedure as string;
    let preview: unknown;
    if (cli.confirm?.preview) {
      const previewPath = `${declaration.area}.${cli.confirm.preview}`;
      preview = await invoke(ctx, previewPath, 'query', previewInputOf(previewPath, input, cli.confirm.previewInput));
      if ((preview as { jobs: number }).jobs === 0) {
        ctx.emit({ ...(preview as object), done: false }, () => cli.confirm?.nothing ?? 'Nothing to do.');
        return;
      }
    }
    if (cli.confirm) await confirmed(ctx, options['yes'] === true, fill(cli.confirm.action, preview, input));
    // Saying yes (or --yes) to the counted question is the typed confirmation the server asks for.
    if (cli.confirm?.confirmField) input[cli.confirm.confirmField] = (preview as { confirm_phrase?: string }).confirm_phrase;
    const result = await invoke(ctx, procedure, declaration.kind, input);
    const shown = cli.confirm?.preview ? { ...(result as object), done: true } : result;
    ctx.emit(shown, () => fill(cli.done, input, result));
  });
}

/**
 * The commands generated from the operation table (each declaration with a `cli` part): arguments
 * and options from its input fields, a confirmation where it says so, one call of its procedure.
 */
export function registerOperationCommands(program: Command, connect: Connect): void {
  for (const operation of listOperations()) {
    const declared = operation.declaration.cli;
    if (!declared || !operation.procedure) continue;
    for (const cli of Array.isArray(declared) ? declared : [declared as CliDeclaration]) {
      const group = program.commands.find((command) => command.name() === cli.group);
      if (!group) throw new Error(`No command group ${cli.group} for ${operation.name}`);
      addCommand(group, { ...operation, cli }, connect);
    }
  }
}
