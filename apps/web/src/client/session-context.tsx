'use client';

import { createContext, useContext, type ReactNode } from 'react';

export type Role = 'admin' | 'operator' | 'viewer';

export interface SessionUser {
  id: string;
  role: Role;
  email: string | null;
  name: string | null;
}

interface AppContextValue {
  user: SessionUser;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppContextProvider({ value, children }: { value: AppContextValue; children: ReactNode }) {
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useAppContext needs an AppContextProvider (the signed-in layout)');
  return value;
}

export function useSessionUser(): SessionUser {
  return useAppContext().user;
}

/** Whether the signed-in user may change things (viewers only read; the server enforces it too). */
export function useCanWrite(): boolean {
  return useAppContext().user.role !== 'viewer';
}
