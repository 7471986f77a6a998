'use client';

import { SearchIcon } from 'lucide-react';
import { Input } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { StatusSelect, type StatusChoice } from '../../status-select';

/** The search box and the status filter above the jobs. */
export function JobFilters({
  search,
  onSearch,
  status,
  onStatus,
}: {
  search: string;
  onSearch: (value: string) => void;
  status: StatusChoice;
  onStatus: (value: StatusChoice) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
      <div className="relative flex-1">
        <SearchIcon
          aria-hidden="true"
          className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2"
        />
        <Input
          type="search"
          className="pl-8"
          aria-label={t.jobs.searchPlaceholder}
          placeholder={t.jobs.searchPlaceholder}
          value={search}
          onChange={(event) => onSearch(event.target.value)}
        />
      </div>
      <StatusSelect value={status} onValueChange={onStatus} className="sm:w-48" />
    </div>
  );
}
