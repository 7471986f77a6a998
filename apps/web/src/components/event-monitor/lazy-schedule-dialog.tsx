'use client';

// The schedule dialog, loaded the first time it opens (the batch page's first load carries the
// button only). A file of its own, not in ../lazy, which the dashboard loads too.
import dynamic from 'next/dynamic';
import { mountWhenOpened } from '../lazy';
import type { ScheduleDialogProps } from './schedule-dialog';

export const LazyScheduleDialog = mountWhenOpened<ScheduleDialogProps>(
  dynamic(() => import('./schedule-dialog').then((m) => m.ScheduleDialog), { ssr: false }),
  (props) => props.open,
);
