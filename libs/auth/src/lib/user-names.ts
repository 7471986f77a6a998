import type { EventMonitorAuth } from './auth';

/** How a user is shown where an id was stored (audit trail, batch history). */
export interface UserName {
  name: string;
  email: string;
}

/** ids asked at most per call: one audit page names at most 200 actors. */
const MAX_IDS = 1_000;

/**
 * The names and e-mails of the users with these ids, in ONE query (`$in` on better-auth's user
 * collection). Ids without a user (deleted, or never a user: a proxy's or a test's id) are absent
 * from the map; the caller decides how to show them.
 */
export async function userNamesById(auth: EventMonitorAuth, ids: readonly string[]): Promise<Map<string, UserName>> {
  const wanted = [...new Set(ids.filter((id) => id.length > 0))].slice(0, MAX_IDS);
  const names = new Map<string, UserName>();
  if (wanted.length === 0) return names;
  const ctx = await auth.$context;
  // The adapter turns ids that look like ObjectIds into ObjectIds and leaves the others as text.
  const users = await ctx.adapter.findMany<{ id: string; name?: unknown; email?: unknown }>({
    model: 'user',
    where: [{ field: 'id', operator: 'in', value: wanted }],
    limit: wanted.length,
  });
  for (const user of users) {
    names.set(String(user.id), {
      name: typeof user.name === 'string' ? user.name : '',
      email: typeof user.email === 'string' ? user.email : '',
    });
  }
  return names;
}
