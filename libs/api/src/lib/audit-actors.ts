import { userNamesById, type EventMonitorAuth } from '@event-monitor/auth';
import type { Actor, AuditEventDto } from '@event-monitor/domain';

/** An audit event whose actor carries the user's name (and, for admins, e-mail) when the user exists. */
export type NamedAuditEvent = Omit<AuditEventDto, 'actor'> & {
  actor: AuditEventDto['actor'] & { name?: string; email?: string };
};

/**
 * The events of one page with their actors' names: one user query for the whole page. A user
 * that no longer exists (or an id that never was one) keeps only its id; the UI says so. E-mails
 * go to admins only: a batch's readers see who acted by name.
 */
export async function withActorNames<T extends { events: AuditEventDto[] }>(
  auth: EventMonitorAuth,
  reader: Actor,
  page: T,
): Promise<Omit<T, 'events'> & { events: NamedAuditEvent[] }> {
  const names = await userNamesById(
    auth,
    page.events.map((event) => event.actor.user_id),
  );
  const events = page.events.map((event): NamedAuditEvent => {
    const user = names.get(event.actor.user_id);
    if (!user) return event;
    const actor: NamedAuditEvent['actor'] = { ...event.actor };
    if (user.name) actor.name = user.name;
    if (reader.role === 'admin' && user.email) actor.email = user.email;
    return { ...event, actor };
  });
  return { ...page, events };
}
