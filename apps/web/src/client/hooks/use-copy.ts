import { useCallback, useState } from 'react';

/**
 * Copies a shown-once secret (an API token, a webhook secret) to the clipboard: `copied` turns
 * true after a copy and back with `reset` (when the dialog closes). A refused clipboard (an
 * insecure context) leaves `copied` false: the secret stays selectable in its field.
 */
export function useCopy(): { copied: boolean; copy: (text: string | null | undefined) => Promise<void>; reset: () => void } {
  const [copied, setCopied] = useState(false);
  const copy = useCallback(async (text: string | null | undefined) => {
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // Clipboard refused: nothing to do, the field still shows the secret.
    }
  }, []);
  const reset = useCallback(() => setCopied(false), []);
  return { copied, copy, reset };
}
