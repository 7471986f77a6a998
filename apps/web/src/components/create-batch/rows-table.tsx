'use client';

import { memo, useState } from 'react';
import { useFormState, useWatch, type Control } from 'react-hook-form';
import { CopyIcon, PencilIcon, Trash2Icon } from 'lucide-react';
import {
  Badge,
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import type { Dictionary } from '../../client/i18n/dictionaries';
import { useRowWindow } from '../event-monitor/job-table/use-row-window';
import type { FormValues, JobRow } from './job-rows';
import { RowFields } from './row-fields';

const ROW_HEIGHT = 49;

export interface RowsTableProps {
  control: Control<FormValues>;
  t: Dictionary;
  onDuplicate: (index: number) => void;
  onRemove: (index: number) => void;
}

/** The messages of one row's failing fields (after a submit or a blur checked them). */
function rowProblems(errors: unknown): string[] {
  if (!errors || typeof errors !== 'object') return [];
  return Object.values(errors as Record<string, { message?: string } | undefined>)
    .map((error) => error?.message)
    .filter((message): message is string => typeof message === 'string' && message !== '');
}

/**
 * Many rows (an import): a read-only table, windowed so a thousand rows cost the DOM of a few
 * dozen, with per-row edit in a dialog. Typing elsewhere on the page re-renders none of it.
 */
export const RowsTable = memo(function RowsTable({ control, t, onDuplicate, onRemove }: RowsTableProps) {
  const rows = useWatch({ control, name: 'jobs' }) as JobRow[];
  const { errors } = useFormState({ control, name: 'jobs' });
  const [editing, setEditing] = useState<number | null>(null);
  const rowWindow = useRowWindow(rows.length, true, ROW_HEIGHT);

  return (
    <>
      <div ref={rowWindow.scrollRef} className="h-[60vh] overflow-y-auto rounded-md border" data-testid="rows-table-scroll">
        <Table aria-label={t.form.rowsTable(rows.length)} aria-rowcount={rows.length + 1}>
          <TableHeader className="bg-background sticky top-0 z-10">
            <TableRow aria-rowindex={1}>
              <TableHead>#</TableHead>
              <TableHead>{t.job.param.event}</TableHead>
              <TableHead>{t.job.param.session}</TableHead>
              <TableHead>{t.job.param.url}</TableHead>
              <TableHead>{t.jobs.language}</TableHead>
              <TableHead>{t.form.options}</TableHead>
              <TableHead>{t.jobs.status}</TableHead>
              <TableHead>
                <span className="sr-only">{t.form.rowActions}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rowWindow.before > 0 ? <tr aria-hidden="true" style={{ height: rowWindow.before }} /> : null}
            {rowWindow.indexes.map((index) => {
              const row = rows[index];
              if (!row) return null;
              const problems = rowProblems(errors.jobs?.[index]);
              const options = [row.job_type, row.priority ? `P${row.priority}` : '', row.max_attempts ? `×${row.max_attempts}` : '']
                .filter(Boolean)
                .join(' · ');
              return (
                <TableRow
                  key={index}
                  ref={rowWindow.measure}
                  data-index={index}
                  aria-rowindex={index + 2}
                  data-state={problems.length > 0 ? 'selected' : undefined}
                  data-testid="rows-table-row"
                >
                  <TableCell className="tabular-nums">{index + 1}</TableCell>
                  <TableCell className="max-w-40 truncate">{row.event}</TableCell>
                  <TableCell className="max-w-56 truncate">{row.session}</TableCell>
                  <TableCell className="max-w-48 truncate">{row.url}</TableCell>
                  <TableCell className="font-mono text-xs">
                    {row.source_language} → {row.target_language}
                  </TableCell>
                  <TableCell className="text-xs">{options}</TableCell>
                  <TableCell>
                    {problems.length === 0 ? (
                      <Badge variant="outline">{t.createBatch.rowOk}</Badge>
                    ) : (
                      <span className="text-destructive text-xs whitespace-normal">{problems.join(' ')}</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <div className="flex gap-1">
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        aria-label={t.form.editRow(index + 1)}
                        title={t.form.editRow(index + 1)}
                        onClick={() => setEditing(index)}
                      >
                        <PencilIcon aria-hidden="true" />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        aria-label={t.createBatch.duplicateRow(index + 1)}
                        title={t.createBatch.duplicateRow(index + 1)}
                        onClick={() => onDuplicate(index)}
                      >
                        <CopyIcon aria-hidden="true" />
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        aria-label={t.createBatch.removeRow(index + 1)}
                        title={t.createBatch.removeRow(index + 1)}
                        onClick={() => onRemove(index)}
                      >
                        <Trash2Icon aria-hidden="true" />
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
            {rowWindow.after > 0 ? <tr aria-hidden="true" style={{ height: rowWindow.after }} /> : null}
          </TableBody>
        </Table>
      </div>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-4xl">
          <DialogHeader>
            <DialogTitle>{t.createBatch.row((editing ?? 0) + 1)}</DialogTitle>
            <DialogDescription>{t.form.editRowDescription}</DialogDescription>
          </DialogHeader>
          {editing !== null ? (
            <fieldset aria-label={t.createBatch.row(editing + 1)}>
              <RowFields control={control} index={editing} t={t} />
            </fieldset>
          ) : null}
          <DialogFooter>
            <Button type="button" onClick={() => setEditing(null)}>
              {t.form.done}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
});
