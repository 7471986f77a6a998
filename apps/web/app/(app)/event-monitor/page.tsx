import type { Metadata } from 'next';
import { Dashboard } from '../../../src/components/event-monitor/dashboard';

export const metadata: Metadata = { title: 'Batches' };

export default function EventMonitorPage() {
  return <Dashboard />;
}
