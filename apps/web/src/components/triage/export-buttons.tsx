'use client';

import { DownloadIcon } from 'lucide-react';
import { Button } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';

export interface ExportFilter {
  batch_id?: string;
  status?: string;
  search?: string;
  error_signature?: string;
}

/** The export's URL for a list filter (the REST door's streamed download, the session cookie signs it). */
export function exportUrl(format: 'csv' | 'json', filter: ExportFilter): string {
  const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => !!entry[1])).toString();
  return `/api/event-job/jobs/export/${format}${query ? `?${query}` : ''}`;
}

/** CSV and JSON downloads of the list as filtered now. */
export function ExportButtons({ filter }: { filter: ExportFilter }) {
  const { t } = useI18n();
  return (
    <div className="flex items-center gap-2">
      {(['csv', 'json'] as const).map((format) => (
        <Button key={format} asChild variant="outline" size="sm">
          <a href={exportUrl(format, filter)} download data-testid={`export-${format}`}>
            <DownloadIcon aria-hidden="true" />
            {format === 'csv' ? t.triage.exportCsv : t.triage.exportJson}
          </a>
        </Button>
      ))}
    </div>
  );
}
