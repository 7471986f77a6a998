import { userNamesById, type EventMonitorAuth, type UserName } from '@event-monitor/auth';
import type { Actor, AuditEventDto } from '@event-monitor/domain';

/**
 * An audit event with names where ids of users were stored: the actor's name (and, for admins,
 * e-mail), and for a user event (user.create, user.set_role) the target user's name by id.
 */
export type NamedAuditEvent = Omit<AuditEventDto, 'actor' | 'target'> & {
  actor: AuditEventDto['actor'] & { name?: string; email?: string };
  target: AuditEventDto['target'] & { names?: Record<string, string> };
};

/**
 * The events of one page with the names of the users they name: ONE user query for the whole
 * page. A user that no longer exists (or an id that never was one) keeps only its id; the UI says
 * so. E-mails go to admins only: a batch's readers see who acted by name.
 */
export async function withActorNames<T extends { events: AuditEventDto[] }>(
  auth: EventMonitorAuth,
  reader: Actor,
  page: T,
): Promise<Omit<T, 'events'> & { events: NamedAuditEvent[] }> {
  const userTargets = (event: AuditEventDto) => (event.target.type === 'user' ? event.target.ids : []);
  const names = await userNamesById(
    auth,
    page.events.flatMap((event) => [event.actor.user_id, ...userTargets(event)]),
  );
  const shown = (user: UserName) => user.name || (reader.role === 'admin' ? user.email : '');
  const events = page.events.map((event): NamedAuditEvent => {
    const named: NamedAuditEvent = { ...event };
    const user = names.get(event.actor.user_id);
    if (user) {
      const actor: NamedAuditEvent['actor'] = { ...event.actor };
      if (user.name) actor.name = user.name;
      if (reader.role === 'admin' && user.email) actor.email = user.email;
      named.actor = actor;
    }
    const targetNames: Record<string, string> = {};
    for (const id of userTargets(event)) {
      const target = names.get(id);
      if (target && shown(target)) targetNames[id] = shown(target);
    }
    if (Object.keys(targetNames).length > 0) named.target = { ...event.target, names: targetNames };
    return named;
  });
  return { ...page, events };
}
