'use client';

import { Badge } from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import type { Dictionary } from '../../client/i18n/dictionaries';
import { useI18n } from '../../client/i18n/i18n-provider';

export type AuditEvent = RouterOutputs['audit']['list']['events'][number];

const SHOWN_IDS = 3;

/** How an actor is named in a sentence: name, else e-mail, else "deleted or unknown user (id)". */
export function actorName(actor: AuditEvent['actor'], t: Dictionary): string {
  return actor.name || actor.email || `${t.audit.unknownUser} (${actor.user_id})`;
}

/** Who acted: name and e-mail (the id when the user is gone), role and, when not the web UI, the door. */
export function AuditActor({ actor }: { actor: AuditEvent['actor'] }) {
  const { t } = useI18n();
  const named = actor.name || actor.email;
  return (
    <span className="inline-flex flex-wrap items-center gap-1" title={actor.user_id}>
      {named ? (
        <span className="flex flex-col">
          <span className="font-medium break-all">{named}</span>
          {actor.name && actor.email ? (
            <span className="text-muted-foreground text-xs break-all">{actor.email}</span>
          ) : null}
        </span>
      ) : (
        <span className="flex flex-col">
          <span className="text-muted-foreground italic">{t.audit.unknownUser}</span>
          <span className="font-mono text-xs break-all">{actor.user_id}</span>
        </span>
      )}
      <Badge variant="outline">{t.user.role[actor.role]}</Badge>
      {actor.via ? <span className="text-muted-foreground text-xs">{t.audit.via[actor.via]}</span> : null}
    </span>
  );
}

/** The action's name, with its code for searching and for scripts. */
export function AuditActionName({ action }: { action: AuditEvent['action'] }) {
  const { t } = useI18n();
  return (
    <span className="flex flex-col">
      <span className="font-medium">{t.audit.actions[action]}</span>
      <code className="text-muted-foreground text-xs">{action}</code>
    </span>
  );
}

/** "batch: batch-1, batch-2, batch-3 +4 more": the first ids (a user by name); all ids in the tooltip. */
export function AuditTarget({ target }: { target: AuditEvent['target'] }) {
  const { t } = useI18n();
  const shown = target.ids.slice(0, SHOWN_IDS);
  const hidden = target.ids.length - shown.length;
  return (
    <span className="flex min-w-0 flex-col gap-0.5" title={target.ids.join('\n')}>
      <span className="text-muted-foreground text-xs">{t.audit.targetType[target.type]}</span>
      {shown.map((id) => {
        const name = target.names?.[id];
        return name ? (
          <span key={id} className="truncate text-sm">
            {name}
          </span>
        ) : (
          <span key={id} className="truncate font-mono text-xs">
            {id}
          </span>
        );
      })}
      {hidden > 0 || target.truncated ? (
        <span
          className="text-muted-foreground text-xs"
          title={target.truncated ? t.audit.truncated : undefined}
        >
          {t.audit.more(hidden)}
          {target.truncated ? ' …' : ''}
        </span>
      ) : null}
    </span>
  );
}

/** One line of a batch or job timeline: what, who, how many, why (and, with `showJob`, which job). */
export function AuditEventSummary({ event, showJob = false }: { event: AuditEvent; showJob?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="flex flex-col gap-0.5">
      <span>
        <span className="font-medium">{t.audit.actions[event.action]}</span>
        <span className="text-muted-foreground">
          {' · '}
          {t.audit.by(actorName(event.actor, t))}
          {event.actor.via === 'token' ? ` (${t.audit.via.token})` : ''}
          {event.target.type === 'user' || event.target.type === 'token'
            ? ''
            : ` · ${t.audit.jobs(event.count)}`}
        </span>
        {showJob && event.target.type === 'job' && event.target.ids[0] ? (
          <span className="text-muted-foreground font-mono text-xs">{` · ${event.target.ids[0]}`}</span>
        ) : null}
      </span>
      {event.reason ? (
        <span className="text-muted-foreground text-xs break-words">
          {t.audit.reason}: <q className="text-foreground">{event.reason}</q>
        </span>
      ) : null}
    </span>
  );
}
