'use client';

import { createContext, useContext, type ReactNode } from 'react';

export type Role = 'admin' | 'operator' | 'viewer';

export interface SessionUser {
  id: string;
  role: Role;
  email: string | null;
  name: string | null;
}

export interface Language {
  code: string;
  name: string;
}

interface AppContextValue {
  user: SessionUser;
  /** The languages a job may name, handed down by the server (the domain lib stays server-side). */
  languages: readonly Language[];
  maxJobsPerBatch: number;
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

export function useLanguages(): readonly Language[] {
  return useAppContext().languages;
}

export function useMaxJobsPerBatch(): number {
  return useAppContext().maxJobsPerBatch;
}
