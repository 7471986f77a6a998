'use client';

import { useState } from 'react';
import { LanguagesIcon, RotateCcwIcon, Trash2Icon } from 'lucide-react';
import { Button } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { LazyChangeLanguageDialog, LazyConfirmDialog } from '../../lazy';
import { useBulkJobActions } from './use-bulk-job-actions';

/**
 * The toolbar over selected jobs (restart, change language, delete) and its dialogs. The dialogs
 * stay mounted when the selection empties, so they close with their animation.
 */
export function BulkJobActions({ selectedIds, clearSelection }: { selectedIds: string[]; clearSelection: () => void }) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<null | 'delete' | 'language'>(null);
  const bulk = useBulkJobActions(selectedIds, clearSelection);

  return (
    <>
      {selectedIds.length > 0 ? (
        <div
          role="toolbar"
          aria-label={t.jobs.selected(selectedIds.length)}
          className="bg-muted/50 flex flex-wrap items-center gap-2 rounded-md border px-3 py-2"
        >
          <span className="text-sm font-medium">{t.jobs.selected(selectedIds.length)}</span>
          <Button size="sm" variant="outline" disabled={bulk.pending} onClick={() => void bulk.restartSelected()}>
            <RotateCcwIcon aria-hidden="true" />
            {t.jobs.restartSelected}
          </Button>
          <Button size="sm" variant="outline" disabled={bulk.pending} onClick={() => setDialog('language')}>
            <LanguagesIcon aria-hidden="true" />
            {t.jobs.languageSelected}
          </Button>
          <Button
            size="sm"
            variant="outline"
            className="text-destructive"
            disabled={bulk.pending}
            onClick={() => setDialog('delete')}
          >
            <Trash2Icon aria-hidden="true" />
            {t.jobs.deleteSelected}
          </Button>
        </div>
      ) : null}

      <LazyConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.jobs.deleteSelectedTitle(selectedIds.length)}
        description={t.jobs.deleteSelectedDescription}
        confirmLabel={t.common.delete}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={bulk.deleteSelected}
      />
      {dialog === 'language' ? (
        <LazyChangeLanguageDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          target={{ kind: 'jobs', jobIds: selectedIds }}
          onDone={clearSelection}
        />
      ) : null}
    </>
  );
}
