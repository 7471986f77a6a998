'use client';

// Dialogs and sheets whose code is not part of a page's first load: it loads the first time one
// opens (next/dynamic), and the component then stays mounted so later opens and closes animate.
import dynamic from 'next/dynamic';
import { useState, type ComponentType } from 'react';
import type { ConfirmDialogProps } from '@event-monitor/ui';
import type { ImportDialogProps } from '../create-batch/import-dialog';
import type { ChangeLanguageDialogProps } from '../event-monitor/change-language-dialog';
import type { JobDetailSheetProps } from '../event-monitor/job-detail/job-detail-sheet';
import type { ScheduleBadgesProps } from '../event-monitor/schedule-badges';

export function mountWhenOpened<P extends object>(Component: ComponentType<P>, isOpen: (props: P) => boolean) {
  return function MountWhenOpened(props: P) {
    const open = isOpen(props);
    const [opened, setOpened] = useState(open);
    if (open && !opened) setOpened(true);
    return opened || open ? <Component {...props} /> : null;
  };
}

export const LazyConfirmDialog = mountWhenOpened<ConfirmDialogProps>(
  dynamic(() => import('./confirm-dialog').then((m) => m.ConfirmDialog), { ssr: false }),
  (props) => props.open,
);

export const LazyChangeLanguageDialog = mountWhenOpened<ChangeLanguageDialogProps>(
  dynamic(() => import('../event-monitor/change-language-dialog').then((m) => m.ChangeLanguageDialog), { ssr: false }),
  (props) => props.open,
);

export const LazyJobDetailSheet = mountWhenOpened<JobDetailSheetProps>(
  dynamic(() => import('../event-monitor/job-detail/job-detail-sheet').then((m) => m.JobDetailSheet), { ssr: false }),
  (props) => props.jobId !== null,
);

export const LazyImportDialog = mountWhenOpened<ImportDialogProps>(
  dynamic(() => import('../create-batch/import-dialog').then((m) => m.ImportDialog), { ssr: false }),
  (props) => props.open,
);

/** A scheduled batch's "starts in …" and deadline badges: loaded only when a batch shown has a schedule. */
export const LazyScheduleBadges = mountWhenOpened<ScheduleBadgesProps>(
  dynamic(() => import('../event-monitor/schedule-badges').then((m) => m.ScheduleBadges), { ssr: false }),
  (props) => props.batch.not_before !== undefined || props.batch.deadline !== undefined,
);
