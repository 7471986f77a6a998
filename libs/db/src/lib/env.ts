import { z } from 'zod';

/** The variables this lib reads; parsed once so a bad value fails with a clear message. */
export const DatabaseEnv = z.object({
  MONGODB_URI: z.string().trim().min(1).optional(),
  MONGODB_DB: z.string().trim().min(1).max(63).optional(),
  EVENT_MONITOR_DATA_DIR: z.string().trim().min(1).optional(),
});
export type DatabaseEnv = z.infer<typeof DatabaseEnv>;

export function readDatabaseEnv(source: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  const parsed = DatabaseEnv.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid database configuration: ${fields.join('; ')}`);
  }
  return parsed.data;
}
