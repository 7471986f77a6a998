'use client';

import { useRef } from 'react';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';

/** Past this many loaded rows only the visible ones are in the DOM. */
export const VIRTUALIZE_AFTER = 200;

/** The visible slice of `count` rows inside `scrollElement`, or everything when not `enabled`. */
export function useRowWindow(count: number, enabled: boolean, estimateSize: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer: Virtualizer<HTMLDivElement, Element> = useVirtualizer({
    count,
    enabled,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    overscan: 12,
  });
  const items = enabled ? virtualizer.getVirtualItems() : [];
  const slice = enabled
    ? {
        indexes: items.map((item) => item.index),
        before: items[0]?.start ?? 0,
        after: items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0,
      }
    : { indexes: Array.from({ length: count }, (_, i) => i), before: 0, after: 0 };
  return { scrollRef, measure: enabled ? virtualizer.measureElement : undefined, ...slice };
}

export type RowWindow = ReturnType<typeof useRowWindow>;
