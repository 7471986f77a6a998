'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form';
import { ArrowLeftIcon, CopyIcon, FileUpIcon, Loader2Icon, PlusIcon, Trash2Icon } from 'lucide-react';
import { Alert, AlertDescription, Button, Card, CardContent, Form, toast } from '@event-monitor/ui';
import { errorMessage, fieldErrorsOf } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { LazyImportDialog } from '../lazy';
import { BatchOptionsFields } from './batch-options';
import {
  emptyOptions,
  emptyRow,
  formPathOf,
  createBatchResolver,
  isEmptyRow,
  toCreateBatchInput,
  type FormValues,
  type ImportedRow,
  type JobRow,
} from './job-rows';
import { RowFields, TextField } from './row-fields';
import { RowsTable } from './rows-table';

/** Up to this many rows are edited inline; more (an import) show as a table with per-row edit. */
const INLINE_ROWS = 10;

/** /event-monitor/create-batch: name, job options, sharing, job rows (add, duplicate, remove, import), submit. */
export function CreateBatchForm() {
  const { t } = useI18n();
  const router = useRouter();
  const utils = trpc.useUtils();
  // A large import's rows live here, outside the form state (see RowsTable); null: the inline rows.
  const [tableRows, setTableRowsState] = useState<JobRow[] | null>(null);
  const [tableErrors, setTableErrors] = useState<Record<number, string[]>>({});
  const [editing, setEditing] = useState<number | null>(null);
  const tableRef = useRef<JobRow[] | null>(null);
  const setTableRows = useCallback((next: JobRow[] | null) => {
    tableRef.current = next;
    setTableRowsState(next);
  }, []);
  const resolver = useMemo(
    () => createBatchResolver(t, { rows: () => tableRef.current, onErrors: setTableErrors }),
    [t],
  );
  const form = useForm<FormValues>({
    resolver,
    defaultValues: { ...emptyOptions(), jobs: [emptyRow()] },
    mode: 'onBlur',
  });
  const rows = useFieldArray({ control: form.control, name: 'jobs' });
  const [importOpen, setImportOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const topRef = useRef<HTMLDivElement>(null);

  const create = trpc.batch.create.useMutation({
    onSuccess: (result, input) => {
      // For the import timing spec: the server took the batch, navigation starts.
      performance.mark('create-batch:created');
      toast.success(t.createBatch.created(result.batch.batch_name, input.jobs.length));
      void utils.batch.invalidate();
      router.push(`/event-monitor/${encodeURIComponent(result.batch.batch_id)}`);
    },
    onError: (error) => {
      const fieldErrors = fieldErrorsOf(error);
      let placed = 0;
      const byRow: Record<number, string[]> = {};
      for (const [path, messages] of Object.entries(fieldErrors)) {
        const rowMatch = tableRef.current ? path.match(/^jobs\.(\d+)\.(?:parameters\.)?([a-z_]+)/) : null;
        if (rowMatch && !['job_type', 'priority', 'max_attempts'].includes(rowMatch[2] as string)) {
          (byRow[Number(rowMatch[1])] ??= []).push(`${rowMatch[2]}: ${messages.join(' ')}`);
          placed += 1;
          continue;
        }
        const target = formPathOf(path);
        if (target) {
          form.setError(target as FieldPath<FormValues>, { type: 'server', message: messages.join(' ') });
          placed += 1;
        }
      }
      if (Object.keys(byRow).length > 0) setTableErrors(byRow);
      const message = placed > 0 ? t.createBatch.invalid : errorMessage(error, t);
      setFormError(message);
      toast.error(message);
    },
  });

  const onSubmit = form.handleSubmit(
    (values) => {
      setFormError(null);
      create.mutate(toCreateBatchInput(tableRef.current ? { ...values, jobs: tableRef.current } : values));
    },
    () => {
      setFormError(t.createBatch.invalid);
      topRef.current?.scrollIntoView({ block: 'start' });
    },
  );

  const addImported = (imported: ImportedRow[], replace: boolean) => {
    const newRows = imported.map((r) => r.row);
    const current = tableRef.current ?? form.getValues('jobs');
    const all = replace ? newRows : [...current, ...newRows];
    if (all.length <= INLINE_ROWS && !tableRef.current) {
      rows.replace(all);
    } else {
      // Past a handful of rows the form keeps one inline row no one sees; the table holds them all.
      setTableErrors({});
      setTableRows(all);
      rows.replace([emptyRow()]);
    }
    toast.success(t.createBatch.importDone(newRows.length));
  };

  // Read when the dialog opens, not watched: watching every row re-rendered the page on each keystroke.
  const [onlyEmptyRow, setOnlyEmptyRow] = useState(true);
  const openImport = () => {
    const current = form.getValues('jobs');
    setOnlyEmptyRow(!tableRef.current && current.length === 1 && isEmptyRow(current[0]));
    setImportOpen(true);
  };
  const { insert, remove } = rows;
  const duplicate = useCallback((index: number) => insert(index + 1, { ...form.getValues(`jobs.${index}`) }), [insert, form]);
  const removeRow = useCallback((index: number) => remove(index), [remove]);
  const changeTable = useCallback(
    (change: (rows: JobRow[]) => void) => {
      const next = [...(tableRef.current ?? [])];
      change(next);
      setTableErrors({});
      setTableRows(next);
    },
    [setTableRows],
  );
  const saveTableRow = useCallback((index: number, row: JobRow) => changeTable((all) => all.splice(index, 1, row)), [changeTable]);
  const duplicateTableRow = useCallback(
    (index: number) => changeTable((all) => all.splice(index + 1, 0, { ...(all[index] as JobRow) })),
    [changeTable],
  );
  const removeTableRow = useCallback((index: number) => changeTable((all) => all.splice(index, 1)), [changeTable]);
  const addRow = () => {
    if (!tableRef.current) {
      rows.append(emptyRow());
      return;
    }
    const index = tableRef.current.length;
    changeTable((all) => all.push(emptyRow()));
    setEditing(index);
  };
  const inline = tableRows === null;

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
        <Button variant="outline" onClick={openImport}>
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
            <CardContent className="flex flex-col gap-4">
              <TextField
                control={form.control}
                name="batch_name"
                label={t.createBatch.batchName}
                placeholder={t.createBatch.batchNamePlaceholder}
              />
              <BatchOptionsFields control={form.control} t={t} />
            </CardContent>
          </Card>

          <section aria-labelledby="rows-heading" className="flex flex-col gap-4">
            <div className="flex items-center justify-between gap-2">
              <h2 id="rows-heading" className="text-lg font-semibold">
                {t.createBatch.rows} ({tableRows?.length ?? rows.fields.length})
              </h2>
            </div>
            {form.formState.errors.jobs?.root?.message || form.formState.errors.jobs?.message ? (
              <p className="text-destructive text-sm" role="alert">
                {form.formState.errors.jobs?.root?.message ?? form.formState.errors.jobs?.message}
              </p>
            ) : null}
            {inline ? (
              rows.fields.map((field, index) => (
                <Card key={field.id} className="gap-3 py-4">
                  <fieldset className="flex flex-col gap-3 px-4 sm:px-6" aria-label={t.createBatch.row(index + 1)}>
                    <div className="flex items-center justify-between gap-2">
                      <legend className="font-medium">{t.createBatch.row(index + 1)}</legend>
                      <div className="flex gap-1">
                        <Button
                          type="button"
                          variant="ghost"
                          size="icon"
                          aria-label={t.createBatch.duplicateRow(index + 1)}
                          title={t.createBatch.duplicateRow(index + 1)}
                          onClick={() => duplicate(index)}
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
                          onClick={() => removeRow(index)}
                        >
                          <Trash2Icon aria-hidden="true" />
                        </Button>
                      </div>
                    </div>
                    <RowFields control={form.control} index={index} t={t} />
                  </fieldset>
                </Card>
              ))
            ) : (
              <RowsTable
                rows={tableRows}
                errors={tableErrors}
                t={t}
                onSave={saveTableRow}
                onDuplicate={duplicateTableRow}
                onRemove={removeTableRow}
                editing={editing}
                onEditingChange={setEditing}
              />
            )}
            <Button
              type="button"
              variant="outline"
              className="self-start"
              onClick={addRow}
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
