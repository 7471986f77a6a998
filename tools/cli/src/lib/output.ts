import Table from 'cli-table3';

export type Cell = string | number | boolean | null | undefined;

/** Where a command writes; the process streams in real use, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether a person can answer a question (stdin is a terminal). */
  interactive: boolean;
  confirm(question: string): Promise<boolean>;
}

const plain = { head: [] as string[], border: [] as string[] };

export function formatDate(value: Date | null | undefined): string {
  if (!value) return '';
  return value.toISOString().replace('T', ' ').slice(0, 19);
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** A table with a header row; `empty` is printed instead when there are no rows. */
export function table(head: string[], rows: Cell[][], empty: string): string {
  if (rows.length === 0) return empty;
  const out = new Table({ head, style: plain });
  for (const row of rows) out.push(row.map(cell));
  return out.toString();
}

/** Label/value pairs of one object; pairs without a value are left out. */
export function details(pairs: [string, Cell][]): string {
  const out = new Table({ style: plain, wordWrap: true, colWidths: [null, 80] });
  for (const [label, value] of pairs) {
    const text = cell(value);
    if (text !== '') out.push({ [label]: text });
  }
  return out.toString();
}

export interface ListPage {
  total: number;
  total_exact: boolean;
  skip: number;
  next_cursor: string | null;
}

/**
 * "Showing 20 of 57" under a page of a list, and how to get the next page (`nextHint`: the flag
 * to show with the cursor, or a sentence of its own).
 */
export function pageLine(shown: number, page: ListPage, nextHint: string | ((cursor: string) => string) = '--cursor'): string {
  const total = page.total_exact ? String(page.total) : `more than ${page.total}`;
  if (page.next_cursor === null && page.skip === 0 && shown === page.total) return `${total} in total`;
  const line = `Showing ${shown} of ${total}`;
  if (page.next_cursor === null) return line;
  const hint = typeof nextHint === 'string' ? `next page: ${nextHint} ${page.next_cursor}` : nextHint(page.next_cursor);
  return `${line}; ${hint}`;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
