import type { Metadata } from 'next';
import { FlowView } from '../../../../src/components/flow/flow-view';

export const metadata: Metadata = { title: 'Job types: pause and limits' };

export default function FlowPage() {
  return <FlowView />;
}
