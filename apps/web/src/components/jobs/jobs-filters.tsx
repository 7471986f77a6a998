'use client';

import { SearchIcon, XIcon } from 'lucide-react';
import { Button, Input, Label, Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@event-monitor/ui';
import { LANGUAGES } from '@event-monitor/contracts';
import { useJobsText } from './jobs-text';
import { StatusSelect, type StatusChoice } from '../status-select';
import type { JobsFilter } from './jobs-url';

/**
 * The global jobs view's filters. The search box is a form: Enter in it asks the view to open the
 * job or batch whose id was typed (go-to-id); typing filters the list as it goes.
 */
export function JobsFilters({
  search,
  onSearch,
  onSubmit,
  filter,
  onFilter,
  onClear,
}: {
  search: string;
  onSearch: (value: string) => void;
  onSubmit: () => void;
  filter: JobsFilter;
  onFilter: (changes: Partial<Record<keyof JobsFilter, string | null>>) => void;
  onClear: () => void;
}) {
  const text = useJobsText();
  const any = Boolean(search || filter.status || filter.type || filter.lang || filter.owner || filter.from || filter.to);
  return (
    <div className="flex flex-col gap-3">
      <form
        role="search"
        className="relative"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <SearchIcon
          aria-hidden="true"
          className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2"
        />
        <Input
          type="search"
          className="pl-8"
          aria-label={text.search}
          placeholder={text.searchPlaceholder}
          value={search}
          onChange={(event) => onSearch(event.target.value)}
        />
      </form>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        {/* filterOf keeps only known statuses in filter.status. */}
        <StatusSelect
          value={(filter.status || 'all') as StatusChoice}
          onValueChange={(value) => onFilter({ status: value === 'all' ? null : value })}
        />
        <Select value={filter.lang || 'all'} onValueChange={(value) => onFilter({ lang: value === 'all' ? null : value })}>
          <SelectTrigger aria-label={text.language}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">{text.allLanguages}</SelectItem>
            {LANGUAGES.map((language) => (
              <SelectItem key={language.code} value={language.code}>
                {language.name}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Input
          aria-label={text.type}
          placeholder={text.type}
          defaultValue={filter.type}
          key={`type-${filter.type}`}
          onBlur={(event) => onFilter({ type: event.target.value.trim() || null })}
          onKeyDown={(event) => event.key === 'Enter' && onFilter({ type: event.currentTarget.value.trim() || null })}
        />
        <Input
          aria-label={text.owner}
          placeholder={text.owner}
          defaultValue={filter.owner}
          key={`owner-${filter.owner}`}
          onBlur={(event) => onFilter({ owner: event.target.value.trim() || null })}
          onKeyDown={(event) => event.key === 'Enter' && onFilter({ owner: event.currentTarget.value.trim() || null })}
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor="jobs-from" className="sr-only">
            {text.from}
          </Label>
          <Input id="jobs-from" type="date" title={text.from} value={filter.from} onChange={(event) => onFilter({ from: event.target.value || null })} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="jobs-to" className="sr-only">
            {text.to}
          </Label>
          <Input id="jobs-to" type="date" title={text.to} value={filter.to} onChange={(event) => onFilter({ to: event.target.value || null })} />
        </div>
      </div>
      {any ? (
        <Button variant="ghost" size="sm" className="self-start" onClick={onClear}>
          <XIcon aria-hidden="true" />
          {text.clear}
        </Button>
      ) : null}
    </div>
  );
}
