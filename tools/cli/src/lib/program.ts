import { Command, CommanderError } from 'commander';
import { describeClientError } from '@event-monitor/client';
import packageJson from '../../package.json';
import { registerBatchCommands } from './batches.command';
import { contextFor, type Connect } from './context';
import { readCliEnv } from './env';
import { CliError, ExitCode, exitCodeOf } from './exit-codes';
import { registerJobCommands } from './jobs.command';
import { registerOperationCommands } from './operations.command';
import { details, type CliIo } from './output';
import { registerTokenCommands } from './tokens.command';
import { registerUserCommands } from './users.command';

const EXIT_CODES_HELP = `
Environment:
  EVENT_MONITOR_URL    the server (default http://localhost:3000)
  EVENT_MONITOR_TOKEN  an API token (em_...)

Exit codes:
  0 ok, 1 other error, 2 usage, 3 auth (token missing, refused or not allowed),
  4 not found, 5 validation, 6 conflict (not allowed in the current state)`;

function buildProgram(io: CliIo, env: Record<string, string | undefined> | undefined): Command {
  const program = new Command('event-monitor')
    .description('Event Monitor from the command line: batches, jobs, tokens and users.')
    .version(packageJson.version)
    .option('--url <url>', 'the server (env EVENT_MONITOR_URL, default http://localhost:3000)')
    .option('--token <token>', 'an API token (env EVENT_MONITOR_TOKEN)')
    .option('--json', 'print JSON instead of tables')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(add --help for usage)')
    // Subcommands created from here on inherit these settings.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });

  const connect: Connect = (command) => contextFor(command, io, readCliEnv(env));
  registerBatchCommands(program, connect);
  registerJobCommands(program, connect);
  program.command('job-types').description('Pause, resume and limit job types (flow control)');
  program.command('retention').description('Archive and delete finished batches after some days (retention policy)');
  program.command('notifications').description('Webhook (and e-mail) notifications of batch, job and worker events');
  registerOperationCommands(program, connect);
  registerTokenCommands(program, connect);
  registerUserCommands(program, connect);

  program
    .command('whoami')
    .description('Who the token belongs to, with role and scopes')
    .action(async (_options: unknown, command: Command) => {
      const ctx = connect(command);
      const me = await ctx.client.user.me.query();
      ctx.emit(me, () =>
        details([
          ['User id', me.id],
          ['Email', me.email],
          ['Name', me.name],
          ['Role', me.role],
          ['Signed in by', me.via],
          ['Scopes', me.scopes.join(',')],
        ]),
      );
    });
  return program;
}

function messageOf(error: unknown): string {
  if (error instanceof CliError) return error.message;
  return describeClientError(error);
}

/**
 * Runs one command line and returns its exit code. Every failure ends as one line on stderr,
 * never a stack trace.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  env?: Record<string, string | undefined>,
): Promise<number> {
  try {
    await buildProgram(io, env).parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version that was asked for).
      const asked = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return asked ? ExitCode.OK : ExitCode.USAGE;
    }
    io.stderr(`error: ${messageOf(error)}\n`);
    return exitCodeOf(error);
  }
}
