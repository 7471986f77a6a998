'use client';

import { memo } from 'react';
import { useForm } from 'react-hook-form';
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
  Form,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import type { Dictionary } from '../../client/i18n/dictionaries';
import { useRowWindow } from '../event-monitor/job-table/use-row-window';
import { emptyOptions, type FormValues, type JobRow } from './job-rows';
import { RowFields } from './row-fields';

const ROW_HEIGHT = 49;

export interface RowsTableProps {
  rows: JobRow[];
  /** Problems by row index (from the last submit). */
  errors: Record<number, string[]>;
  t: Dictionary;
  onSave: (index: number, row: JobRow) => void;
  onDuplicate: (index: number) => void;
  onRemove: (index: number) => void;
  /** The row whose editor is open (e.g. one just added), or null. */
  editing: number | null;
  onEditingChange: (index: number | null) => void;
}

/**
 * Many rows (an import): a read-only table, windowed so a thousand rows cost the DOM of a few
 * dozen, with per-row edit in a dialog. The rows are plain props, not form state: typing in the
 * batch's fields or in a row's editor re-renders none of the table.
 */
export const RowsTable = memo(function RowsTable({ rows, errors, t, onSave, onDuplicate, onRemove, editing, onEditingChange }: RowsTableProps) {
  const rowWindow = useRowWindow(rows.length, true, ROW_HEIGHT);
  const editedRow = editing === null ? undefined : rows[editing];

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
              const problems = errors[index] ?? [];
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
                        onClick={() => onEditingChange(index)}
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
                        disabled={rows.length === 1}
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
      <Dialog open={editedRow !== undefined} onOpenChange={(open) => !open && onEditingChange(null)}>
        <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-4xl">
          <DialogHeader>
            <DialogTitle>{t.createBatch.row((editing ?? 0) + 1)}</DialogTitle>
            <DialogDescription>{t.form.editRowDescription}</DialogDescription>
          </DialogHeader>
          {editing !== null && editedRow ? (
            <RowEditor
              key={editing}
              row={editedRow}
              label={t.createBatch.row(editing + 1)}
              t={t}
              onDone={(row) => {
                onSave(editing, row);
                onEditingChange(null);
              }}
            />
          ) : null}
        </DialogContent>
      </Dialog>
    </>
  );
});

/** One row's inputs in a form of their own: its keystrokes touch this row only. */
function RowEditor({ row, label, t, onDone }: { row: JobRow; label: string; t: Dictionary; onDone: (row: JobRow) => void }) {
  const form = useForm<FormValues>({ defaultValues: { ...emptyOptions(), jobs: [row] } });
  return (
    <Form {...form}>
      <fieldset aria-label={label}>
        <RowFields control={form.control} index={0} t={t} />
      </fieldset>
      <DialogFooter>
        <Button type="button" onClick={() => onDone(form.getValues('jobs.0'))}>
          {t.form.done}
        </Button>
      </DialogFooter>
    </Form>
  );
}
