import type { ReactNode } from 'react';
import { redirect } from 'next/navigation';
import { requirePrincipal } from '../../../src/server/session';

/** Admin screens are for admins; the procedures check it again. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const principal = await requirePrincipal();
  if (principal.actor.role !== 'admin') redirect('/event-monitor');
  return children;
}
