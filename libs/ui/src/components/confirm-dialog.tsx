'use client';

import * as React from 'react';
import { Loader2Icon } from 'lucide-react';
import { cn } from '../lib/utils';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from './alert-dialog';
import { buttonVariants } from './button';

export type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  confirmLabel: React.ReactNode;
  cancelLabel: React.ReactNode;
  /** Red confirm button, for deleting or other irreversible actions. */
  destructive?: boolean;
  /** Shows a spinner on the confirm button and disables both buttons (and closing). */
  pending?: boolean;
  /**
   * Called when the user confirms. If it returns a promise, the dialog shows the spinner until it
   * settles; it then closes on success and stays open on failure.
   */
  onConfirm: () => void | Promise<unknown>;
  /**
   * Close the dialog after `onConfirm` (default true). Set to false to keep it open and close it
   * yourself through `onOpenChange`/`open`, e.g. from a mutation's onSuccess.
   */
  closeOnConfirm?: boolean;
  /** Disables the confirm button only (e.g. until a required field is filled). */
  confirmDisabled?: boolean;
  /** Extra content between the description and the buttons. */
  children?: React.ReactNode;
  className?: string;
};

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** A controlled confirmation dialog (alertdialog role: focus trapped, Escape cancels). */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  cancelLabel,
  destructive = false,
  pending = false,
  onConfirm,
  closeOnConfirm = true,
  confirmDisabled = false,
  children,
  className,
}: ConfirmDialogProps) {
  const [running, setRunning] = React.useState(false);
  const busy = pending || running;
  const content = React.useRef<HTMLDivElement>(null);
  const cancel = React.useRef<HTMLButtonElement>(null);

  // Radix focuses Cancel on open; while busy it is disabled, so focus would stay outside the dialog
  // (or fall to <body> when the focused button becomes disabled). The dialog itself takes it then,
  // and hands it to Cancel once that is enabled again.
  const onOpenAutoFocus = (event: Event) => {
    if (!busy) return;
    event.preventDefault();
    content.current?.focus({ preventScroll: true });
  };
  React.useEffect(() => {
    const dialog = content.current;
    if (!open || !dialog) return;
    const active = document.activeElement;
    if (busy) {
      const lost = !(active instanceof HTMLElement) || !dialog.contains(active) || (active as HTMLButtonElement).disabled;
      if (lost) dialog.focus({ preventScroll: true });
    } else if (active === dialog) {
      cancel.current?.focus({ preventScroll: true });
    }
  }, [busy, open]);

  const handleOpenChange = (next: boolean) => {
    if (!next && busy) return;
    onOpenChange(next);
  };

  const handleConfirm = async () => {
    if (busy || confirmDisabled) return;
    const result = onConfirm();
    if (isPromiseLike(result)) {
      setRunning(true);
      try {
        await result;
      } catch {
        // The caller reports the error; keep the dialog open so the user can retry or cancel.
        setRunning(false);
        return;
      }
      setRunning(false);
    }
    if (closeOnConfirm) onOpenChange(false);
  };

  return (
    <AlertDialog open={open} onOpenChange={handleOpenChange}>
      <AlertDialogContent
        ref={content}
        tabIndex={-1}
        onOpenAutoFocus={onOpenAutoFocus}
        data-slot="confirm-dialog"
        className={className}
        // Without a description, tell Radix there is none (it warns otherwise).
        {...(description ? {} : { 'aria-describedby': undefined })}
      >
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          {description ? <AlertDialogDescription>{description}</AlertDialogDescription> : null}
        </AlertDialogHeader>
        {children}
        <AlertDialogFooter>
          <AlertDialogCancel ref={cancel} disabled={busy}>{cancelLabel}</AlertDialogCancel>
          {/* A plain button rather than AlertDialogAction, which would close the dialog before the work is done. */}
          <button
            type="button"
            data-slot="confirm-dialog-confirm"
            aria-busy={busy || undefined}
            disabled={busy || confirmDisabled}
            onClick={() => void handleConfirm()}
            className={cn(buttonVariants({ variant: destructive ? 'destructive' : 'default' }))}
          >
            {busy && <Loader2Icon aria-hidden="true" className="animate-spin" />}
            {confirmLabel}
          </button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
