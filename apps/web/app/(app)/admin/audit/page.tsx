import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditLog } from '../../../../src/components/audit/audit-log';

export const metadata: Metadata = { title: 'Audit trail' };

/** Admins only: the admin layout redirects everyone else, and audit.list refuses them again. */
export default function AuditPage() {
  return (
    <Suspense>
      <AuditLog />
    </Suspense>
  );
}
