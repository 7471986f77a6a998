'use client';

// The batch page's notifications dialog, loaded the first time it opens (its texts and forms are
// not part of the batch page's first load).
import dynamic from 'next/dynamic';
import { mountWhenOpened } from '../lazy';
import type { BatchNotificationsDialogProps } from './batch-notifications-dialog';

export const LazyBatchNotificationsDialog = mountWhenOpened<BatchNotificationsDialogProps>(
  dynamic(() => import('./batch-notifications-dialog').then((m) => m.BatchNotificationsDialog), { ssr: false }),
  (props) => props.open,
);
