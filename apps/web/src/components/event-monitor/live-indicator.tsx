'use client';

import { Badge } from '@event-monitor/ui';
import type { LiveState } from '../../client/hooks/use-live-updates';
import { useI18n } from '../../client/i18n/i18n-provider';

/** Says whether changes stream in live, or the page falls back to polling. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useI18n();
  const label =
    state === 'live'
      ? t.dashboard.live
      : state === 'connecting'
        ? t.dashboard.liveConnecting
        : t.dashboard.liveOffline;
  return (
    <Badge
      variant={state === 'live' ? 'success' : 'outline'}
      data-testid="live-state"
      data-state={state}
      title={state === 'live' ? t.dashboard.liveHint : undefined}
      aria-live="polite"
    >
      {label}
    </Badge>
  );
}
