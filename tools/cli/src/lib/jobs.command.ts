import { Option, type Command } from 'commander';
import type { RouterInputs, RouterOutputs } from '@event-monitor/client';
import { JOB_STATUSES } from './constants';
import type { Connect } from './context';
import { pageLine, table } from './output';
import { integer } from './parsers';
import { JOB_HEAD, jobDetails, jobRow } from './views';

type JobStatus = RouterOutputs['job']['get']['status'];

export function registerJobCommands(program: Command, connect: Connect): void {
  const jobs = program.command('jobs').description('List, show, restart, cancel, re-target and delete jobs');

  jobs
    .command('list')
    .description('Jobs you may read, newest first')
    .option('--batch <batchId>', 'only the jobs of this batch')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(JOB_STATUSES))
    .option('--search <text>', 'text in event, session, track or speakers')
    .option('--limit <n>', 'how many (1-200)', integer(1, 200), 50)
    .option('--cursor <cursor>', 'start at this page (the next cursor a previous list printed)')
    .option('--skip <n>', 'how many to skip (slow deep in a list; not with --cursor)', integer(0, 1_000_000))
    .action(
      async (
        options: { batch?: string; status?: JobStatus; search?: string; limit: number; cursor?: string; skip?: number },
        command: Command,
      ) => {
        const ctx = connect(command);
        const list = await ctx.client.job.list.query({
          batch_id: options.batch,
          status: options.status,
          search: options.search,
          limit: options.limit,
          cursor: options.cursor,
          skip: options.skip,
        });
        ctx.emit(list, () =>
          [table(JOB_HEAD, list.jobs.map(jobRow), 'No jobs found.'), pageLine(list.jobs.length, list)].join(
            '\n',
          ),
        );
      },
    );

  jobs
    .command('show')
    .description('One job with its parameters, error and last log lines')
    .argument('<jobId>')
    .action(async (jobId: string, _options: unknown, command: Command) => {
      const ctx = connect(command);
      const job = await ctx.client.job.get.query({ job_id: jobId });
      ctx.emit(job, () => jobDetails(job));
    });

  jobs
    .command('restart')
    .description('Set a completed or failed job back to pending')
    .argument('<jobId>')
    .option('--bypass-cache', 'make the worker recompute everything')
    .option('--language <code>', 'a new target language, e.g. fr')
    .action(
      async (jobId: string, options: { bypassCache?: boolean; language?: string }, command: Command) => {
        const ctx = connect(command);
        const job = await ctx.client.job.restart.mutate({
          job_id: jobId,
          bypass_cache: options.bypassCache,
          // The server checks the code against its language list.
          target_language: options.language as RouterInputs['job']['restart']['target_language'],
        });
        ctx.emit(job, () => `Restarted job ${job.job_id}: now ${job.status}.`);
      },
    );
}
