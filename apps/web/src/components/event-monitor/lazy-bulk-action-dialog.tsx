'use client';

// The bulk action dialog, loaded the first time it opens (not part of the dashboard's first load).
// A file of its own, not in ../lazy: the dialog itself imports ../lazy (its confirm step).
import dynamic from 'next/dynamic';
import { mountWhenOpened } from '../lazy';
import type { BulkActionDialogProps } from './bulk-action-dialog';

export const LazyBulkActionDialog = mountWhenOpened<BulkActionDialogProps>(
  dynamic(() => import('./bulk-action-dialog').then((m) => m.BulkActionDialog), { ssr: false }),
  (props) => props.open,
);
