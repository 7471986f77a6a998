'use client';

import { useCanWrite } from './session-context';

export interface BatchRights {
  /** Restart, archive, rename, change language, pause, edit and bulk-change its jobs. */
  write: boolean;
  /** Delete the batch or its jobs. */
  admin: boolean;
}

/**
 * What the signed-in user may do with this batch: the rights the server sent with it (`can`), so
 * an operator on someone else's public batch sees no action that would be refused.
 */
export function useBatchRights(batch: { can?: BatchRights | undefined } | undefined): BatchRights {
  const roleWrites = useCanWrite();
  return {
    write: roleWrites && (batch?.can?.write ?? false),
    admin: roleWrites && (batch?.can?.admin ?? false),
  };
}
