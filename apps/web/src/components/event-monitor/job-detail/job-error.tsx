import type { ReactNode } from 'react';
import { Alert, AlertDescription, AlertTitle } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';

/** The error a worker reported, with its details folded away; `retry` says when the next attempt comes. */
export function JobError({ error, retry }: { error: NonNullable<Job['error']>; retry?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Alert variant="destructive">
      <AlertTitle>
        {t.job.error}: {error.code}
      </AlertTitle>
      <AlertDescription>
        {retry}
        <p className="break-words">{error.message}</p>
        {error.details ? (
          <details className="mt-2 w-full">
            <summary className="cursor-pointer">{t.job.errorDetails}</summary>
            <pre className="mt-1 max-h-48 overflow-auto text-xs whitespace-pre-wrap">
              {typeof error.details === 'string' ? error.details : JSON.stringify(error.details, null, 2)}
            </pre>
          </details>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}
