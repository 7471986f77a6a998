import type { Metadata } from 'next';
import { RetentionAdmin } from '../../../../src/components/admin/retention-admin';

export const metadata: Metadata = { title: 'Retention' };

/** Admins only: the admin layout redirects everyone else, and the retention procedures refuse them again. */
export default function RetentionPage() {
  return <RetentionAdmin />;
}
