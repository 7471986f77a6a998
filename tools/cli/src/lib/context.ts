import type { Command } from 'commander';
import { createEventMonitorClient, type EventMonitorClient } from '@event-monitor/client';
import { ServerUrl, type CliEnv } from './env';
import { CliError, ExitCode } from './exit-codes';
import { toJson, type CliIo } from './output';

interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** What an action needs: a client for the chosen server and the way to print. */
export interface CommandContext {
  client: EventMonitorClient;
  io: CliIo;
  json: boolean;
  /** Prints `data` as JSON with --json, else the human text. */
  emit(data: unknown, human: () => string): void;
}

export function contextFor(command: Command, io: CliIo, env: CliEnv): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const url = options.url ?? env.EVENT_MONITOR_URL;
  if (!ServerUrl.safeParse(url).success)
    throw new CliError(`--url: ${url} is not an http(s) URL`, ExitCode.USAGE);
  const token = options.token?.trim() || env.EVENT_MONITOR_TOKEN;
  if (!token) throw new CliError('No API token: pass --token or set EVENT_MONITOR_TOKEN', ExitCode.AUTH);
  const json = options.json === true;
  return {
    client: createEventMonitorClient({ url, token }),
    io,
    json,
    emit(data, human) {
      io.stdout(`${json ? toJson(data) : human()}\n`);
    },
  };
}

/** Builds the context of the command being run (reads its global options). */
export type Connect = (command: Command) => CommandContext;
