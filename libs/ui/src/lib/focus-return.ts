'use client';

import * as React from 'react';

/**
 * Focus return for dialogs and sheets (Radix Dialog / AlertDialog content).
 *
 * Radix returns focus to its Trigger on close. Our dialogs are mostly opened from state (a button's
 * onClick, a menu item's onSelect) with no Trigger, or mounted only while open: Radix then focuses
 * nothing and focus falls to <body>. This hook remembers the element that had the focus when the
 * dialog opened and focuses it again on close; if that element is gone (its row was deleted) or
 * goes away right after (a refetch removes it), focus moves to the nearest still-present ancestor's
 * first focusable element (a neighbouring row, the list, the page's main region).
 */

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Menus close when their item opens a dialog: their items are never the element to return to. */
const TRANSIENT = '[role="menu"], [role="listbox"]';

let lastFocused: HTMLElement | null = null;
let tracking = false;

/** Remembers the last focused element outside menus (the menu's button when an item opens a dialog). */
function trackFocus(): void {
  if (tracking || typeof document === 'undefined') return;
  tracking = true;
  document.addEventListener(
    'focusin',
    (event) => {
      const target = event.target;
      if (target instanceof HTMLElement && target !== document.body && !target.closest(TRANSIENT)) lastFocused = target;
    },
    true,
  );
}

function usable(el: Element | null): el is HTMLElement {
  if (!(el instanceof HTMLElement) || !el.isConnected || el === document.body) return false;
  if (el.closest(TRANSIENT)) return false;
  if ((el as HTMLButtonElement).disabled) return false;
  return el.getClientRects().length > 0;
}

/** The element to return to: the opener, else the first focusable element of its nearest surviving ancestor. */
function returnTarget(opener: HTMLElement | null, ancestors: HTMLElement[]): HTMLElement | null {
  if (usable(opener)) return opener;
  for (const ancestor of ancestors) {
    if (!ancestor.isConnected) continue;
    const candidates = Array.from(ancestor.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = candidates.find((el) => usable(el) && !el.closest('[role="dialog"], [role="alertdialog"]'));
    if (first) return first;
    if (ancestor.tagName === 'MAIN' || ancestor === document.body) {
      if (ancestor === document.body) return null;
      if (!ancestor.hasAttribute('tabindex')) ancestor.setAttribute('tabindex', '-1');
      return ancestor;
    }
  }
  return null;
}

function focusTarget(opener: HTMLElement | null, ancestors: HTMLElement[]): void {
  const target = returnTarget(opener, ancestors) ?? (document.querySelector('main') as HTMLElement | null);
  if (!target) return;
  if (target.tagName === 'MAIN' && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  if (target !== opener || !opener) return;
  // The opener may go away right after (the dialog deleted its row, the list refetches): then move
  // focus to a neighbour instead of letting it fall to <body>. Watches for 5 s at most.
  const observer = new MutationObserver(() => {
    if (opener.isConnected) return;
    observer.disconnect();
    const active = document.activeElement;
    if (active === null || active === document.body) returnTarget(null, ancestors)?.focus({ preventScroll: true });
  });
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), 5000);
}

type AutoFocusHandler = (event: Event) => void;

/**
 * Handlers for a Radix content's onOpenAutoFocus/onCloseAutoFocus that return focus to the opener.
 * On open the opener is remembered first, then the caller's handler runs (it may focus inside).
 * On close the caller's handler runs first; if it calls preventDefault, this hook does nothing.
 */
export function useFocusReturn(onOpenAutoFocus?: AutoFocusHandler, onCloseAutoFocus?: AutoFocusHandler) {
  const opener = React.useRef<HTMLElement | null>(null);
  const ancestors = React.useRef<HTMLElement[]>([]);
  trackFocus();

  const handleOpen = React.useCallback(
    (event: Event) => {
      // Remember the opener before the caller's handler runs: it may move the focus into the dialog.
      const active = document.activeElement;
      const from = usable(active) ? active : usable(lastFocused) ? lastFocused : null;
      opener.current = from;
      const chain: HTMLElement[] = [];
      for (let el = from?.parentElement ?? null; el && el !== document.body; el = el.parentElement) chain.push(el);
      ancestors.current = chain;
      onOpenAutoFocus?.(event);
    },
    [onOpenAutoFocus],
  );

  const handleClose = React.useCallback(
    (event: Event) => {
      onCloseAutoFocus?.(event);
      if (event.defaultPrevented) return;
      event.preventDefault();
      focusTarget(opener.current, ancestors.current);
    },
    [onCloseAutoFocus],
  );

  return { onOpenAutoFocus: handleOpen, onCloseAutoFocus: handleClose };
}
