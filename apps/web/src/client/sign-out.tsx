'use client';

import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from '@event-monitor/ui';
import { useI18n } from './i18n/i18n-provider';

interface SignOutValue {
  signingOut: boolean;
  signOut: () => Promise<void>;
}

const SignOutContext = createContext<SignOutValue | null>(null);

/**
 * Signs the user out without a request going out in the signed-out state. Before the session ends,
 * the pages below unmount (their live subscription closes, no query keeps an observer that could
 * refetch) and in-flight queries are cancelled; a refetch after the cookie is gone would be a 401
 * the browser reports as a console error. After the server answers, a full page load to /sign-in
 * drops the signed-out user's data from memory. If signing out fails, the pages come back.
 */
export function SignOutProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);

  const signOut = useCallback(async () => {
    flushSync(() => setSigningOut(true));
    await queryClient.cancelQueries();
    try {
      const response = await fetch('/api/auth/sign-out', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!response.ok) throw new Error(String(response.status));
      queryClient.clear();
      window.location.replace('/sign-in');
    } catch {
      setSigningOut(false);
      toast.error(t.common.errorTitle);
    }
  }, [queryClient, t]);

  return (
    <SignOutContext.Provider value={{ signingOut, signOut }}>
      {signingOut ? (
        <p role="status" className="text-muted-foreground p-6 text-center text-sm">
          {t.user.signingOut}
        </p>
      ) : (
        children
      )}
    </SignOutContext.Provider>
  );
}

export function useSignOut(): SignOutValue {
  const value = useContext(SignOutContext);
  if (!value) throw new Error('useSignOut needs a SignOutProvider above it');
  return value;
}
