'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState } from 'react';
import { useFieldArray, useForm, type Control, type FieldPath } from 'react-hook-form';
import { ArrowLeftIcon, CopyIcon, FileUpIcon, Loader2Icon, PlusIcon, Trash2Icon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  Card,
  CardContent,
  Checkbox,
  Form,
  FormControl,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  Input,
  LanguageSelect,
  toast,
} from '@event-monitor/ui';
import { errorMessage, fieldErrorsOf } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { LANGUAGES } from '@event-monitor/contracts';
import { trpc } from '../../client/trpc';
import { LazyImportDialog } from '../lazy';
import {
  emptyRow,
  formPathOf,
  createBatchResolver,
  TEXT_FIELDS,
  toCreateBatchInput,
  URL_FIELDS,
  type FormValues,
  type ImportedRow,
} from './job-rows';

function TextField({
  control,
  name,
  label,
  placeholder,
  type = 'text',
  className,
}: {
  control: Control<FormValues>;
  name: FieldPath<FormValues>;
  label: string;
  placeholder?: string;
  type?: string;
  className?: string;
}) {
  return (
    <FormField
      control={control}
      name={name}
      render={({ field }) => (
        <FormItem className={className}>
          <FormLabel>{label}</FormLabel>
          <FormControl>
            <Input
              type={type}
              placeholder={placeholder}
              name={field.name}
              ref={field.ref}
              onBlur={field.onBlur}
              onChange={field.onChange}
              value={typeof field.value === 'string' ? field.value : ''}
            />
          </FormControl>
          <FormMessage />
        </FormItem>
      )}
    />
  );
}

/** /event-monitor/create-batch: name, job rows (add, duplicate, remove, import), submit. */
export function CreateBatchForm() {
  const { t } = useI18n();
  const router = useRouter();
  const utils = trpc.useUtils();
  const resolver = useMemo(() => createBatchResolver(t), [t]);
  const form = useForm<FormValues>({
    resolver,
    defaultValues: { batch_name: '', jobs: [emptyRow()] },
    mode: 'onBlur',
  });
  const rows = useFieldArray({ control: form.control, name: 'jobs' });
  const [importOpen, setImportOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const topRef = useRef<HTMLDivElement>(null);

  const create = trpc.batch.create.useMutation({
    onSuccess: (result, input) => {
      toast.success(t.createBatch.created(result.batch.batch_name, input.jobs.length));
      void utils.batch.invalidate();
      router.push(`/event-monitor/${encodeURIComponent(result.batch.batch_id)}`);
    },
    onError: (error) => {
      const fieldErrors = fieldErrorsOf(error);
      let placed = 0;
      for (const [path, messages] of Object.entries(fieldErrors)) {
        const target = formPathOf(path);
        if (target) {
          form.setError(target as FieldPath<FormValues>, { type: 'server', message: messages.join(' ') });
          placed += 1;
        }
      }
      const message = placed > 0 ? t.createBatch.invalid : errorMessage(error, t);
      setFormError(message);
      toast.error(message);
    },
  });

  const onSubmit = form.handleSubmit(
    (values) => {
      setFormError(null);
      create.mutate(toCreateBatchInput(values));
    },
    () => {
      setFormError(t.createBatch.invalid);
      topRef.current?.scrollIntoView({ block: 'start' });
    },
  );

  const addImported = (imported: ImportedRow[], replace: boolean) => {
    const newRows = imported.map((r) => r.row);
    if (replace) rows.replace(newRows);
    else rows.append(newRows);
    toast.success(t.createBatch.importDone(newRows.length));
  };

  const currentRows = form.watch('jobs');
  const onlyEmptyRow = currentRows.length === 1 && TEXT_FIELDS.every((key) => currentRows[0]?.[key] === '');

  return (
    <div className="flex flex-col gap-6" ref={topRef}>
      <Button variant="ghost" size="sm" asChild className="self-start">
        <Link href="/event-monitor">
          <ArrowLeftIcon aria-hidden="true" />
          {t.batch.backToList}
        </Link>
      </Button>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.createBatch.title}</h1>
          <p className="text-muted-foreground text-sm">{t.createBatch.description}</p>
        </div>
        <Button variant="outline" onClick={() => setImportOpen(true)}>
          <FileUpIcon aria-hidden="true" />
          {t.createBatch.import}
        </Button>
      </div>

      <Form {...form}>
        <form onSubmit={(event) => void onSubmit(event)} className="flex flex-col gap-6" noValidate>
          {formError ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          ) : null}
          <Card>
            <CardContent>
              <TextField
                control={form.control}
                name="batch_name"
                label={t.createBatch.batchName}
                placeholder={t.createBatch.batchNamePlaceholder}
              />
            </CardContent>
          </Card>

          <section aria-labelledby="rows-heading" className="flex flex-col gap-4">
            <div className="flex items-center justify-between gap-2">
              <h2 id="rows-heading" className="text-lg font-semibold">
                {t.createBatch.rows} ({rows.fields.length})
              </h2>
            </div>
            {form.formState.errors.jobs?.root?.message || form.formState.errors.jobs?.message ? (
              <p className="text-destructive text-sm" role="alert">
                {form.formState.errors.jobs?.root?.message ?? form.formState.errors.jobs?.message}
              </p>
            ) : null}
            {rows.fields.map((field, index) => (
              <Card key={field.id} className="gap-3 py-4">
                <fieldset
                  className="flex flex-col gap-3 px-4 sm:px-6"
                  aria-label={t.createBatch.row(index + 1)}
                >
                  <div className="flex items-center justify-between gap-2">
                    <legend className="font-medium">{t.createBatch.row(index + 1)}</legend>
                    <div className="flex gap-1">
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        aria-label={t.createBatch.duplicateRow(index + 1)}
                        title={t.createBatch.duplicateRow(index + 1)}
                        onClick={() => rows.insert(index + 1, { ...form.getValues(`jobs.${index}`) })}
                      >
                        <CopyIcon aria-hidden="true" />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        aria-label={t.createBatch.removeRow(index + 1)}
                        title={t.createBatch.removeRow(index + 1)}
                        disabled={rows.fields.length === 1}
                        onClick={() => rows.remove(index)}
                      >
                        <Trash2Icon aria-hidden="true" />
                      </Button>
                    </div>
                  </div>
                  <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.event`}
                      label={t.job.param.event}
                    />
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.session`}
                      label={t.job.param.session}
                      className="lg:col-span-2"
                    />
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.track`}
                      label={t.job.param.track}
                    />
                    <TextField control={form.control} name={`jobs.${index}.day`} label={t.job.param.day} />
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.starttime`}
                      label={t.job.param.starttime}
                    />
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.endtime`}
                      label={t.job.param.endtime}
                    />
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.speakers`}
                      label={t.job.param.speakers}
                      placeholder={t.createBatch.speakersHint}
                    />
                    {URL_FIELDS.map((key) => (
                      <TextField
                        key={key}
                        control={form.control}
                        name={`jobs.${index}.${key}`}
                        label={t.job.param[key]}
                        type="url"
                        placeholder="https://"
                        className={key === 'url' ? 'lg:col-span-2' : undefined}
                      />
                    ))}
                    <TextField
                      control={form.control}
                      name={`jobs.${index}.filename`}
                      label={t.job.param.filename}
                    />
                    {(['source_language', 'target_language'] as const).map((key) => (
                      <FormField
                        key={key}
                        control={form.control}
                        name={`jobs.${index}.${key}`}
                        render={({ field: f }) => (
                          <FormItem>
                            <FormLabel>{t.job.param[key]}</FormLabel>
                            <FormControl>
                              <LanguageSelect
                                value={f.value}
                                onValueChange={f.onChange}
                                languages={LANGUAGES}
                                className="w-full"
                              />
                            </FormControl>
                            <FormMessage />
                          </FormItem>
                        )}
                      />
                    ))}
                    <FormField
                      control={form.control}
                      name={`jobs.${index}.use_cache`}
                      render={({ field: f }) => (
                        <FormItem className="flex flex-row items-center gap-2 self-end pb-2">
                          <FormControl>
                            <Checkbox checked={f.value} onCheckedChange={(v) => f.onChange(v === true)} />
                          </FormControl>
                          <FormLabel className="font-normal">{t.job.param.use_cache}</FormLabel>
                        </FormItem>
                      )}
                    />
                  </div>
                </fieldset>
              </Card>
            ))}
            <Button
              type="button"
              variant="outline"
              className="self-start"
              onClick={() => rows.append(emptyRow())}
            >
              <PlusIcon aria-hidden="true" />
              {t.createBatch.addRow}
            </Button>
          </section>

          <div className="bg-background/95 sticky bottom-0 -mx-3 flex justify-end gap-2 border-t px-3 py-3 sm:-mx-6 sm:px-6">
            <Button variant="outline" asChild>
              <Link href="/event-monitor">{t.common.cancel}</Link>
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {t.createBatch.submit}
            </Button>
          </div>
        </form>
      </Form>

      <LazyImportDialog
        open={importOpen}
        onOpenChange={setImportOpen}
        replaceByDefault={onlyEmptyRow}
        onImport={addImported}
      />
    </div>
  );
}
