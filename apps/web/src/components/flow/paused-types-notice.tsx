'use client';

import Link from 'next/link';
import { PauseCircleIcon } from 'lucide-react';
import { Alert, AlertDescription } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';

const REFRESH_MS = 15_000;

/** A line naming the paused job types (dashboard and workers page); nothing when none is paused. */
export function PausedTypesNotice() {
  const { t, formatDateTime } = useI18n();
  const flow = trpc.flow.list.useQuery(undefined, { refetchInterval: REFRESH_MS });
  const paused = (flow.data?.job_types ?? []).filter((type) => type.paused);
  if (paused.length === 0) return null;
  const names = paused
    .map((type) => `${type.job_type || t.flow.noType}${type.resume_at ? ` (${t.flow.pausedUntil(formatDateTime(type.resume_at))})` : ''}`)
    .join(', ');
  return (
    <Alert variant="warning" data-testid="paused-types">
      <PauseCircleIcon aria-hidden="true" />
      <AlertDescription>
        <p>
          {t.flow.pausedBanner(names)}{' '}
          <Link href="/workers/flow" className="underline underline-offset-4">
            {t.flow.link}
          </Link>
        </p>
      </AlertDescription>
    </Alert>
  );
}
