'use client';

import { flexRender, type Table as TanstackTable } from '@tanstack/react-table';
import { cn, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { JobListItem } from '../../../client/types';
import { useRowWindow } from './use-row-window';

const ROW_HEIGHT = 53;

/**
 * Wide screens: the table. Virtualised, it scrolls in its own box, whose height must not depend
 * on its (windowed) content.
 */
export function JobRowsTable({ table, virtual }: { table: TanstackTable<JobListItem>; virtual: boolean }) {
  const { t } = useI18n();
  const rows = table.getRowModel().rows;
  const tableWindow = useRowWindow(rows.length, virtual, ROW_HEIGHT);
  return (
    <div
      ref={tableWindow.scrollRef}
      className={cn('hidden rounded-md border md:block', virtual && 'h-[70vh] overflow-y-auto')}
      data-testid="job-table-scroll"
    >
      <Table aria-label={t.jobs.title} aria-rowcount={rows.length + 1}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <TableHead
                  key={header.id}
                  aria-sort={
                    header.column.getIsSorted() === 'asc'
                      ? 'ascending'
                      : header.column.getIsSorted() === 'desc'
                        ? 'descending'
                        : undefined
                  }
                >
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </TableHead>
              ))}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {tableWindow.before > 0 ? <tr aria-hidden="true" style={{ height: tableWindow.before }} /> : null}
          {tableWindow.indexes.map((index) => {
            const row = rows[index];
            if (!row) return null;
            return (
              <TableRow
                key={row.id}
                ref={tableWindow.measure}
                data-index={index}
                aria-rowindex={index + 2}
                data-state={row.getIsSelected() ? 'selected' : undefined}
                data-testid="job-row"
              >
                {row.getVisibleCells().map((cell) => (
                  <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
                ))}
              </TableRow>
            );
          })}
          {tableWindow.after > 0 ? <tr aria-hidden="true" style={{ height: tableWindow.after }} /> : null}
        </TableBody>
      </Table>
    </div>
  );
}
