import { z } from 'zod';

const ServerEnv = z.object({
  MONGODB_URI: z.string().trim().min(1).optional(),
  MONGODB_DB: z.string().trim().min(1).max(63).default('event_monitor'),
  /** Set by the start script so the status page can say where the data lives. */
  EVENT_MONITOR_DB_SOURCE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

let cached: ServerEnv | undefined;

/** The app's environment, read once. A bad value fails here with the variable's name. */
export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const parsed = ServerEnv.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment: ${fields.join('; ')}`);
  }
  cached = parsed.data;
  return cached;
}
