'use client';

import { useState } from 'react';
import { BanIcon, LanguagesIcon, ListChecksIcon, RotateCcwIcon, Trash2Icon } from 'lucide-react';
import { Button } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { LazyChangeLanguageDialog } from '../../lazy';
import { BulkActionDialog, type BulkSelectionInput, type DialogBulkAction } from '../bulk-action-dialog';

/** What "all matching" means in this table: the list's filter as a bulk selection, and its count. */
export interface MatchingJobs {
  selection: BulkSelectionInput;
  /** The list's total, as shown ("10,000+" when not exact). */
  totalLabel: string;
  total: number;
  /** True once the user chose "select all N matching". */
  all: boolean;
  selectAll: () => void;
}

/**
 * The toolbar over selected jobs (restart, cancel, change language, delete) and its dialogs. Every
 * action is one server-side bulk request over the selected ids or, after "select all N matching",
 * over the list's filter. The dialogs stay mounted when the selection empties, so they close with
 * their animation.
 */
export function BulkJobActions({
  selectedIds,
  clearSelection,
  matching,
}: {
  selectedIds: string[];
  clearSelection: () => void;
  matching: MatchingJobs;
}) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<null | DialogBulkAction | 'language'>(null);
  const selection: BulkSelectionInput = matching.all ? matching.selection : { job_ids: selectedIds };
  const label = matching.all ? t.bulk.allMatching(matching.totalLabel) : t.jobs.selected(selectedIds.length);
  const active = matching.all || selectedIds.length > 0;
  const bulkAction = dialog === 'language' ? null : dialog;

  return (
    <>
      {active ? (
        <div role="toolbar" aria-label={label} className="bg-muted/50 flex flex-wrap items-center gap-2 rounded-md border px-3 py-2">
          <span className="text-sm font-medium">{label}</span>
          {!matching.all && matching.total > selectedIds.length ? (
            <Button size="sm" variant="link" onClick={matching.selectAll}>
              <ListChecksIcon aria-hidden="true" />
              {t.bulk.selectAllMatching(matching.totalLabel)}
            </Button>
          ) : null}
          <Button size="sm" variant="outline" onClick={() => setDialog('restart')}>
            <RotateCcwIcon aria-hidden="true" />
            {t.jobs.restartSelected}
          </Button>
          <Button size="sm" variant="outline" onClick={() => setDialog('cancel')}>
            <BanIcon aria-hidden="true" />
            {t.bulk.cancel}
          </Button>
          {matching.all ? null : (
            <Button size="sm" variant="outline" onClick={() => setDialog('language')}>
              <LanguagesIcon aria-hidden="true" />
              {t.jobs.languageSelected}
            </Button>
          )}
          <Button size="sm" variant="outline" className="text-destructive" onClick={() => setDialog('delete')}>
            <Trash2Icon aria-hidden="true" />
            {t.jobs.deleteSelected}
          </Button>
          <Button size="sm" variant="ghost" onClick={clearSelection}>
            {t.bulk.clear}
          </Button>
        </div>
      ) : null}

      {bulkAction ? (
        <BulkActionDialog
          action={bulkAction}
          selection={selection}
          open
          onOpenChange={(open) => !open && setDialog(null)}
          onDone={() => {
            setDialog(null);
            clearSelection();
          }}
        />
      ) : null}
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
