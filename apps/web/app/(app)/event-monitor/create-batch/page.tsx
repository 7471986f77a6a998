import type { Metadata } from 'next';
import Link from 'next/link';
import { ArrowLeftIcon } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle, Button } from '@event-monitor/ui';
import { CreateBatchForm } from '../../../../src/components/create-batch/create-batch-form';
import { DICTIONARIES } from '../../../../src/client/i18n/dictionaries';
import { getRequestLocale, requirePrincipal } from '../../../../src/server/session';

export const metadata: Metadata = { title: 'Create batch' };

/** Viewers may not create batches (the server refuses them too): they get a page that says so, not a form. */
export default async function CreateBatchPage() {
  const principal = await requirePrincipal();
  if (principal.actor.role !== 'viewer') return <CreateBatchForm />;
  const t = DICTIONARIES[await getRequestLocale()];
  return (
    <div className="flex flex-col gap-6">
      <Button variant="ghost" size="sm" asChild className="self-start">
        <Link href="/event-monitor">
          <ArrowLeftIcon aria-hidden="true" />
          {t.batch.backToList}
        </Link>
      </Button>
      <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.createBatch.title}</h1>
      <Alert role="alert">
        <AlertTitle>{t.form.viewerTitle}</AlertTitle>
        <AlertDescription>{t.form.viewerBody}</AlertDescription>
      </Alert>
    </div>
  );
}
