'use client';

import { Button } from '@event-monitor/ui';
import { useI18n } from '../client/i18n/i18n-provider';
import { formatTotal, nextPageStart, type ListPage } from '../client/list-inputs';

/** "N of M loaded" above a list of pages (`testId` names it for the specs). */
export function LoadedCount({ count, first, testId }: { count: number; first: ListPage; testId: string }) {
  const { t, locale } = useI18n();
  return (
    <span className="text-muted-foreground text-sm" data-testid={testId}>
      {t.jobs.loaded(count, formatTotal(first, locale))}
    </span>
  );
}

/**
 * "Load more" under a list of pages: shown while the last loaded page has a next one, disabled
 * while it refetches. `onMore` asks for one page more (the views keep the count in the URL).
 */
export function LoadMoreFooter({ last, onMore }: { last: { data?: ListPage; isFetching: boolean } | undefined; onMore: () => void }) {
  const { t } = useI18n();
  return last?.data && nextPageStart(last.data) ? (
    <Button variant="outline" size="sm" className="self-center" disabled={last.isFetching} onClick={onMore}>
      {t.jobs.loadMore}
    </Button>
  ) : null;
}
