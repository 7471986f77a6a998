import { z } from 'zod';
import { CliError, ExitCode } from './exit-codes';

const unsetWhenEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const ServerUrl = z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' });

const CliEnv = z.object({
  EVENT_MONITOR_URL: z.preprocess(unsetWhenEmpty, ServerUrl.default('http://localhost:3000')),
  EVENT_MONITOR_TOKEN: z.preprocess(unsetWhenEmpty, z.string().trim().optional()),
});
export type CliEnv = z.infer<typeof CliEnv>;

/** The only place the CLI reads process.env. */
export function readCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const parsed = CliEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`,
      ExitCode.USAGE,
    );
  }
  return parsed.data;
}
