import { Types, type Model } from 'mongoose';
import { z } from 'zod';
import { DomainError, DomainErrorCode, type ValidationDetails } from '../errors';
import { and } from './load';

/** Where a bounded count stops: past it, lists report `total: COUNT_CAP, total_exact: false`. */
export const COUNT_CAP = 10_000;
export const MAX_CURSOR_LENGTH = 512;
const CURSOR_VERSION = 1;

export type ListKind = 'jobs' | 'batches';

/** The order of a list: one top-level field, then `_id` in the same direction as the tie-breaker. */
export interface KeysetSort {
  list: ListKind;
  field: string;
  direction: 1 | -1;
}

/**
 * A row's sort value by BSON kind. MongoDB sorts null and missing first, then numbers, strings,
 * dates, and `$lt`/`$gt` only compare within a kind, so the next-page filter names the other kinds
 * explicitly. `other` is a value of a kind neither we nor the legacy side write (a boolean, an
 * object): only its own kind is compared.
 */
type SortKey =
  | { kind: 'null' }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: Date }
  | { kind: 'other'; value: unknown };

const KIND_ORDER = ['null', 'number', 'string', 'date'] as const;

// On the wire: a short JSON object, base64url. `k` is the last row's sort value by kind; `['r']`
// means "too long to carry, read it from row `i`" (a job name of 500 characters does not fit).
const WireKey = z.union([
  z.tuple([z.literal('z')]),
  z.tuple([z.literal('n'), z.number().finite()]),
  z.tuple([z.literal('s'), z.string()]),
  z.tuple([z.literal('d'), z.number().int().min(-8.64e15).max(8.64e15)]),
  z.tuple([z.literal('r')]),
]);
type WireKey = z.infer<typeof WireKey>;

const WireCursor = z.strictObject({
  v: z.literal(CURSOR_VERSION),
  l: z.enum(['j', 'b']),
  f: z.string().min(1).max(100),
  d: z.union([z.literal(1), z.literal(-1)]),
  k: WireKey,
  i: z.string().regex(/^[0-9a-f]{24}$/),
});
type WireCursor = z.infer<typeof WireCursor>;

const LIST_CODE: Record<ListKind, WireCursor['l']> = { jobs: 'j', batches: 'b' };

function cursorError(problem: string): DomainError {
  const details: ValidationDetails = { fieldErrors: { cursor: [problem] }, formErrors: [] };
  return new DomainError(DomainErrorCode.VALIDATION, `Invalid input: cursor (${problem})`, details);
}

function keyOf(value: unknown): SortKey {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'number', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { kind: 'date', value };
  return { kind: 'other', value };
}

function wireKeyOf(key: SortKey): WireKey {
  switch (key.kind) {
    case 'null':
      return ['z'];
    case 'number':
      return ['n', key.value];
    case 'string':
      return ['s', key.value];
    case 'date':
      return ['d', key.value.getTime()];
    case 'other':
      return ['r'];
  }
}

function pack(cursor: WireCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The cursor that continues after `row` (its sort value and `_id`) in `sort`. */
export function encodeCursor(sort: KeysetSort, row: Record<string, unknown>): string {
  const id = row['_id'];
  if (!(id instanceof Types.ObjectId)) throw new Error(`Keyset paging needs ObjectId _ids; got ${String(id)}`);
  const base = { v: CURSOR_VERSION, l: LIST_CODE[sort.list], f: sort.field, d: sort.direction, i: id.toHexString() } as const;
  const full = pack({ ...base, k: wireKeyOf(keyOf(row[sort.field])) });
  return full.length <= MAX_CURSOR_LENGTH ? full : pack({ ...base, k: ['r'] });
}

export interface DecodedCursor {
  id: Types.ObjectId;
  /** undefined: read the value from the row `id` (see WireKey `['r']`). */
  key?: SortKey;
}

/** Decodes a cursor made for `sort`; anything else is VALIDATION naming `cursor`, never a crash. */
export function decodeCursor(raw: string, sort: KeysetSort): DecodedCursor {
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw cursorError('not a cursor of this server');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw cursorError('not a cursor of this server');
  }
  const parsed = WireCursor.safeParse(json);
  if (!parsed.success) throw cursorError('not a cursor of this server');
  const cursor = parsed.data;
  if (cursor.l !== LIST_CODE[sort.list] || cursor.f !== sort.field || cursor.d !== sort.direction) {
    throw cursorError('made for another list or sort; start again without a cursor');
  }
  const id = new Types.ObjectId(cursor.i);
  const [kind, value] = cursor.k;
  switch (kind) {
    case 'z':
      return { id, key: { kind: 'null' } };
    case 'n':
      return { id, key: { kind: 'number', value: value as number } };
    case 's':
      return { id, key: { kind: 'string', value: value as string } };
    case 'd':
      return { id, key: { kind: 'date', value: new Date(value as number) } };
    case 'r':
      return { id };
  }
}

/**
 * The rows after (key, id) in `sort`: a greater/smaller value of the same kind, the same value
 * with a greater/smaller `_id`, or any value of a kind that sorts later in this direction.
 */
export function afterFilter(sort: KeysetSort, key: SortKey, id: Types.ObjectId): Record<string, unknown> {
  const { field } = sort;
  const forward = sort.direction === 1;
  const beyond = forward ? '$gt' : '$lt';
  const clauses: Record<string, unknown>[] = [];
  if (key.kind === 'null') {
    clauses.push({ [field]: null, _id: { [beyond]: id } });
  } else {
    clauses.push({ [field]: { [beyond]: key.value } }, { [field]: key.value, _id: { [beyond]: id } });
  }
  if (key.kind !== 'other') {
    const at = KIND_ORDER.indexOf(key.kind);
    const later = forward ? KIND_ORDER.slice(at + 1) : KIND_ORDER.slice(0, at);
    for (const kind of later) clauses.push(kind === 'null' ? { [field]: null } : { [field]: { $type: kind } });
  }
  return { $or: clauses };
}

export interface PageInput {
  limit: number;
  cursor?: string | undefined;
  skip?: number | undefined;
}

export interface Page<R> {
  rows: R[];
  /** Where the next page starts; null on the last page. */
  next_cursor: string | null;
}

/**
 * One page of `filter` in `sort` order. With a cursor the query starts right after the row the
 * cursor names (an index range, however deep); `skip` is the legacy offset. Reads `limit + 1`
 * rows to know whether a next page exists. The projection must keep `_id` and the sort field.
 */
export async function readPage<R>(
  model: Model<R>,
  filter: Record<string, unknown>,
  sort: KeysetSort,
  input: PageInput,
  projection?: Record<string, 0 | 1>,
): Promise<Page<R>> {
  if (input.cursor !== undefined && input.skip !== undefined) {
    throw cursorError('use either cursor or skip, not both');
  }
  let query = filter;
  if (input.cursor !== undefined) {
    const cursor = decodeCursor(input.cursor, sort);
    const key = cursor.key ?? (await keyOfRow(model, filter, sort.field, cursor.id));
    query = and(filter, afterFilter(sort, key, cursor.id));
  }
  // The driver, not Mongoose: Mongoose would cast a cursor value to the schema type of the field
  // (a legacy string created_at to a Date), and the filter would then compare the wrong kind.
  const docs = (await model.collection
    .find(query, projection ? { projection } : {})
    .sort({ [sort.field]: sort.direction, _id: sort.direction })
    .skip(input.skip ?? 0)
    .limit(input.limit + 1)
    .toArray()) as R[];
  const rows = docs.slice(0, input.limit);
  const last = rows.at(-1);
  const next = docs.length > input.limit && last ? encodeCursor(sort, last as Record<string, unknown>) : null;
  return { rows, next_cursor: next };
}

async function keyOfRow<R>(model: Model<R>, filter: Record<string, unknown>, field: string, id: Types.ObjectId): Promise<SortKey> {
  const row = await model.collection.findOne(and(filter, { _id: id }), { projection: { [field]: 1 } });
  if (!row) throw cursorError('the row it continues from is gone; start again without a cursor');
  return keyOf(row[field]);
}

export interface BoundedTotal {
  total: number;
  /** false when the count stopped at the cap: there are more than `total`. */
  total_exact: boolean;
}

/**
 * Counts at most `cap` matches, so a total never scans a huge collection to the end. Through the
 * driver like `readPage`: the page and its total read the same filter, uncast.
 */
export async function boundedCount<R>(model: Model<R>, filter: Record<string, unknown>, cap = COUNT_CAP): Promise<BoundedTotal> {
  const n = await model.collection.countDocuments(filter, { limit: cap + 1 });
  return n > cap ? { total: cap, total_exact: false } : { total: n, total_exact: true };
}
