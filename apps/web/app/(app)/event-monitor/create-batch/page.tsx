import type { Metadata } from 'next';
import { CreateBatchForm } from '../../../../src/components/create-batch/create-batch-form';

export const metadata: Metadata = { title: 'Create batch' };

export default function CreateBatchPage() {
  return <CreateBatchForm />;
}
