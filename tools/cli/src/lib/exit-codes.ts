import { inspectClientError, type ClientErrorKind } from '@event-monitor/client';

/** The exit codes of every command; scripts may rely on them (README lists them). */
export const ExitCode = {
  OK: 0,
  /** Anything else: server error, server unreachable, unexpected answer. */
  GENERIC: 1,
  /** Wrong command line: unknown command or option, missing argument, unreadable file, refused confirmation. */
  USAGE: 2,
  /** No token, a refused token (401) or missing permission (403). */
  AUTH: 3,
  NOT_FOUND: 4,
  /** The server refused the input (400), or a file is not valid JSON. */
  VALIDATION: 5,
  /** The object is not in a state that allows this (e.g. restarting a pending job). */
  CONFLICT: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure found by the CLI itself, with the exit code it ends with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const EXIT_OF_KIND: Record<ClientErrorKind, ExitCode> = {
  unauthorized: ExitCode.AUTH,
  forbidden: ExitCode.AUTH,
  not_found: ExitCode.NOT_FOUND,
  validation: ExitCode.VALIDATION,
  too_large: ExitCode.VALIDATION,
  conflict: ExitCode.CONFLICT,
  rate_limited: ExitCode.GENERIC,
  unavailable: ExitCode.GENERIC,
  server: ExitCode.GENERIC,
  connection: ExitCode.GENERIC,
  unknown: ExitCode.GENERIC,
};

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  return EXIT_OF_KIND[inspectClientError(error).kind];
}
