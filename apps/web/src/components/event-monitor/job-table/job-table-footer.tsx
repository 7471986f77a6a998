'use client';

import { Loader2Icon } from 'lucide-react';
import { Button, Label, Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { formatTotal, JOB_PAGE_SIZES, type JobPageSize, type ListPage } from '../../../client/list-inputs';
import type { LoadedJobs } from './use-loaded-jobs';

/** Below the jobs: how many are loaded of how many, the page size, and "Load more". */
export function JobTableFooter({
  shown,
  firstPage,
  loaded,
  pageSize,
  onPageSize,
  onLoadMore,
}: {
  shown: number;
  firstPage: ListPage;
  loaded: LoadedJobs;
  pageSize: JobPageSize;
  onPageSize: (size: JobPageSize) => void;
  onLoadMore: () => void;
}) {
  const { t, locale } = useI18n();
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <span className="text-muted-foreground text-sm" data-testid="jobs-loaded">
        {t.jobs.loaded(shown, formatTotal(firstPage, locale))}
      </span>
      <div className="flex flex-wrap items-center gap-2">
        {loaded.moreError ? (
          <span className="text-destructive text-sm" role="alert">
            {t.jobs.loadMoreError}
          </span>
        ) : null}
        <Label htmlFor="job-page-size" className="text-muted-foreground text-sm font-normal">
          {t.jobs.perPage}
        </Label>
        <Select value={String(pageSize)} onValueChange={(value) => onPageSize(Number(value) as JobPageSize)}>
          <SelectTrigger id="job-page-size" size="sm" className="w-24">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {JOB_PAGE_SIZES.map((size) => (
              <SelectItem key={size} value={String(size)}>
                {size}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {loaded.hasMore || loaded.loading ? (
          <Button variant="outline" size="sm" disabled={loaded.loading} onClick={onLoadMore}>
            {loaded.loading ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
            {loaded.loading ? t.jobs.loading : t.jobs.loadMore}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
