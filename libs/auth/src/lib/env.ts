import { z } from 'zod';

/** One origin (`scheme://host[:port]`), written without a path; stored as the URL's own origin. */
const Origin = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      return (url.protocol === 'http:' || url.protocol === 'https:') && bare;
    } catch {
      return false;
    }
  }, 'each entry must be an origin like https://monitor.example.org or http://10.0.0.5:3000 (no path)')
  .transform((value) => new URL(value).origin);

/** The variables this lib reads; parsed once so a bad value fails with a clear message. */
export const AuthEnv = z.object({
  /**
   * More origins the app is opened at (the machine's name, a LAN address, a proxy's name),
   * comma-separated. APP_URL's origin and the loopback names of the app's port are always trusted.
   */
  TRUSTED_ORIGINS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean))
    .pipe(z.array(Origin)),
  /**
   * Take the client's address for the sign-in limits from X-Forwarded-For. Only behind a proxy
   * that sets the header itself: a client that reaches the app directly can write anything there.
   */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});
export type AuthEnv = z.infer<typeof AuthEnv>;

export function readAuthEnv(source: NodeJS.ProcessEnv = process.env): AuthEnv {
  const parsed = AuthEnv.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`);
    throw new Error(`Invalid auth configuration: ${fields.join('; ')}`);
  }
  return parsed.data;
}
