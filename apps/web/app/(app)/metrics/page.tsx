import type { Metadata } from 'next';
import { parseRange } from '../../../src/components/metrics/format';
import { MetricsView } from '../../../src/components/metrics/metrics-view';

export const metadata: Metadata = { title: 'Metrics' };

export default async function MetricsPage({ searchParams }: { searchParams: Promise<{ range?: string | string[] }> }) {
  const { range } = await searchParams;
  return <MetricsView initialRange={parseRange(Array.isArray(range) ? range[0] : range)} />;
}
