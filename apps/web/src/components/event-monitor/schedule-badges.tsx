'use client';

import { deadlineRisk, startsIn, type DeadlineRisk } from '@event-monitor/contracts';
import { Badge } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import type { Batch } from '../../client/types';
import { formatDuration } from '../metrics/format';
import { useNow } from '../workers/use-now';

const RISK_VARIANT = { on_track: 'success', at_risk: 'warning', missed: 'destructive', unknown: 'outline' } as const;

/**
 * A scheduled batch's "starts in …" (until its start time) and its deadline badge, by the
 * browser's clock (none before hydration: then the server's `deadline_risk`, no countdown); the
 * risk is recomputed by the same function the server uses, so both move on by themselves.
 */
export interface ScheduleBadgesProps {
  batch: Batch;
}

export function ScheduleBadges({ batch }: ScheduleBadgesProps) {
  const { t, locale, formatDateTime } = useI18n();
  const now = useNow(5_000);
  const wait = now === null ? null : startsIn(batch, now);
  const risk: DeadlineRisk | undefined = now === null ? batch.deadline_risk : deadlineRisk(batch, now);
  return (
    <>
      {wait !== null ? (
        <Badge variant="outline" data-testid="batch-starts-in" title={batch.not_before ? formatDateTime(batch.not_before) : undefined}>
          {t.batchTable.startsIn(formatDuration(wait, locale))}
        </Badge>
      ) : null}
      {risk && batch.deadline ? (
        <Badge variant={RISK_VARIANT[risk]} data-testid="batch-deadline" title={`${t.batchTable.deadline}: ${formatDateTime(batch.deadline)}`}>
          {t.batchTable.risk[risk]}
        </Badge>
      ) : null}
    </>
  );
}
