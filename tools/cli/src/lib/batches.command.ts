import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import type { RouterInputs, RouterOutputs } from '@event-monitor/client';
import { JOB_STATUSES } from './constants';
import type { Connect } from './context';
import { CliError, ExitCode } from './exit-codes';
import { pageLine, table } from './output';
import { integer } from './parsers';
import { BATCH_HEAD, batchDetails, batchRow, JOB_HEAD, jobRow } from './views';

type Batch = RouterOutputs['batch']['get'];

/** Reads a CreateBatchInput from a JSON file; a bare array is taken as the jobs. The server validates the rest. */
export async function readBatchFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`Cannot read ${path} (${code})`, ExitCode.USAGE);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${basename(path)} is not valid JSON: ${(error as Error).message}`,
      ExitCode.VALIDATION,
    );
  }
  return Array.isArray(parsed) ? { jobs: parsed } : parsed;
}

export function registerBatchCommands(program: Command, connect: Connect): void {
  const batches = program.command('batches').description('List, show, create and steer batches');

  batches
    .command('list')
    .description('Batches you may read, newest first')
    .option('--archived', 'archived batches instead of current ones')
    .addOption(new Option('--status <status>', 'only batches in this status').choices(JOB_STATUSES))
    .option('--search <text>', 'part of the batch name')
    .option('--limit <n>', 'how many (1-100)', integer(1, 100), 20)
    .option('--cursor <cursor>', 'start at this page (the next cursor a previous list printed)')
    .option('--skip <n>', 'how many to skip (slow deep in a list; not with --cursor)', integer(0, 1_000_000))
    .action(
      async (
        options: {
          archived?: boolean;
          status?: Batch['status'];
          search?: string;
          limit: number;
          cursor?: string;
          skip?: number;
        },
        command: Command,
      ) => {
        const ctx = connect(command);
        const list = await ctx.client.batch.list.query({
          archived: options.archived === true,
          status: options.status,
          search: options.search,
          limit: options.limit,
          cursor: options.cursor,
          skip: options.skip,
        });
        ctx.emit(list, () =>
          [
            table(BATCH_HEAD, list.batches.map(batchRow), 'No batches found.'),
            pageLine(list.batches.length, list),
          ].join('\n'),
        );
      },
    );

  batches
    .command('show')
    .description('One batch with its counters and its first jobs')
    .argument('<batchId>')
    .option('--limit <n>', 'how many jobs to list (1-200)', integer(1, 200), 50)
    .action(async (batchId: string, options: { limit: number }, command: Command) => {
      const ctx = connect(command);
      const [batch, jobs] = await Promise.all([
        ctx.client.batch.get.query({ batch_id: batchId }),
        ctx.client.job.list.query({
          batch_id: batchId,
          limit: options.limit,
          sort: { field: 'created_at', direction: 'asc' },
        }),
      ]);
      ctx.emit({ batch, jobs: jobs.jobs }, () =>
        [
          batchDetails(batch),
          'Jobs:',
          table(JOB_HEAD, jobs.jobs.map(jobRow), 'No jobs.'),
          pageLine(jobs.jobs.length, jobs, () => `more with: jobs list --batch ${batchId}`),
        ].join('\n'),
      );
    });

  batches
    .command('create')
    .description('Create a batch from a JSON file (a CreateBatchInput, or an array of jobs)')
    .requiredOption('-f, --file <path>', 'the batch as JSON')
    .option('--name <name>', 'the batch name (overrides batch_name of the file)')
    .option('--not-before <date>', 'no job is handed out before this ISO 8601 date-time (overrides the file)')
    .option('--deadline <date>', 'when the batch should be done, ISO 8601 (overrides the file)')
    .action(async (options: { file: string; name?: string; notBefore?: string; deadline?: string }, command: Command) => {
      const input = await readBatchFile(options.file);
      const ctx = connect(command);
      const overrides = Object.fromEntries(
        Object.entries({ batch_name: options.name, not_before: options.notBefore, deadline: options.deadline }).filter(([, value]) => value),
      );
      const body = typeof input === 'object' && input !== null ? { ...input, ...overrides } : input;
      // The server validates the whole input and names every wrong field.
      const created = await ctx.client.batch.create.mutate(body as RouterInputs['batch']['create']);
      ctx.emit(
        created,
        () =>
          `Created batch ${created.batch.batch_id} "${created.batch.batch_name}" with ${created.job_ids.length} job(s).`,
      );
    });

  batches
    .command('archive')
    .description('Archive a batch (its jobs are no longer handed to workers)')
    .argument('<batchId>')
    .action(async (batchId: string, _options: unknown, command: Command) => {
      const ctx = connect(command);
      const batch = await ctx.client.batch.archive.mutate({ batch_id: batchId });
      ctx.emit(batch, () => `Archived batch ${batch.batch_id}.`);
    });

  batches
    .command('unarchive')
    .description('Bring an archived batch back')
    .argument('<batchId>')
    .action(async (batchId: string, _options: unknown, command: Command) => {
      const ctx = connect(command);
      const batch = await ctx.client.batch.unarchive.mutate({ batch_id: batchId });
      ctx.emit(batch, () => `Unarchived batch ${batch.batch_id}.`);
    });

  batches
    .command('restart')
    .description('Set the failed jobs of a batch back to pending')
    .argument('<batchId>')
    .option('--all', 'also restart completed jobs')
    .action(async (batchId: string, options: { all?: boolean }, command: Command) => {
      const ctx = connect(command);
      const scope = options.all ? 'all' : 'failed';
      const result = await ctx.client.batch.restart.mutate({ batch_id: batchId, scope });
      ctx.emit(
        { batch_id: batchId, scope, ...result },
        () =>
          `Restarted ${result.restarted} ${scope === 'all' ? 'failed or completed' : 'failed'} job(s) of ${batchId}.`,
      );
    });
}
