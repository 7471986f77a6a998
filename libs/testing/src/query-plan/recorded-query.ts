/**
 * Turns driver commands (as seen by command monitoring) into the queries they run: the filter,
 * the sort and whether a limit stops the scan. Writes without a filter (insert) run no query.
 */

export type Filter = Record<string, unknown>;
export type SortSpec = Record<string, 1 | -1>;

export type QueryKind = 'find' | 'findAndModify' | 'update' | 'delete' | 'count' | 'distinct' | 'aggregate';

export interface RecordedQuery {
  collection: string;
  kind: QueryKind;
  filter: Filter;
  sort?: SortSpec;
  /** Present when the server stops after this many matches (find limit, findOne, updateOne, ...). */
  limit?: number;
  /** Where the query came from (the innermost product source frame), when recorded. */
  origin?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sortOf(raw: unknown): SortSpec | undefined {
  // The driver hands sorts over as a Map (key order is the sort order).
  const entries = raw instanceof Map ? [...(raw as Map<string, unknown>).entries()] : isObject(raw) ? Object.entries(raw) : undefined;
  if (!entries) return undefined;
  const sort: SortSpec = {};
  for (const [field, direction] of entries) {
    // {$meta: 'textScore'} and friends never come from an index order.
    if (direction === 1 || direction === -1) sort[field] = direction;
    else if (direction === 'asc' || direction === 'ascending') sort[field] = 1;
    else if (direction === 'desc' || direction === 'descending') sort[field] = -1;
  }
  return Object.keys(sort).length > 0 ? sort : undefined;
}

const positive = (n: unknown): number | undefined => (typeof n === 'number' && n !== 0 ? Math.abs(n) : undefined);

/** Pipeline stages that read no documents of the collection through a query. */
const NON_QUERY_FIRST_STAGES = new Set(['$changeStream', '$collStats', '$indexStats', '$listSessions', '$currentOp', '$documents']);

/** The queries one command runs against `collection`; [] for commands that run none. */
export function queriesOfCommand(commandName: string, command: Record<string, unknown>): RecordedQuery[] {
  const collection = command[commandName];
  if (typeof collection !== 'string') return [];
  switch (commandName) {
    case 'find': {
      const limit = positive(command['limit']) ?? (command['singleBatch'] === true ? positive(command['batchSize']) : undefined);
      return [compactQuery({ collection, kind: 'find', filter: filterOf(command['filter']), sort: sortOf(command['sort']), limit })];
    }
    case 'findAndModify':
      return [compactQuery({ collection, kind: 'findAndModify', filter: filterOf(command['query']), sort: sortOf(command['sort']), limit: 1 })];
    case 'update':
      return arrayOf(command['updates']).map((statement) =>
        compactQuery({
          collection,
          kind: 'update',
          filter: filterOf(statement['q']),
          sort: sortOf(statement['sort']),
          limit: statement['multi'] === true ? undefined : 1,
        }),
      );
    case 'delete':
      return arrayOf(command['deletes']).map((statement) =>
        compactQuery({ collection, kind: 'delete', filter: filterOf(statement['q']), limit: positive(statement['limit']) }),
      );
    case 'count':
      // Without a query the server answers from collection metadata (estimatedDocumentCount).
      return isObject(command['query']) && Object.keys(command['query']).length > 0
        ? [{ collection, kind: 'count', filter: command['query'] }]
        : [];
    case 'distinct':
      return [{ collection, kind: 'distinct', filter: filterOf(command['query']) }];
    case 'aggregate':
      return aggregateQuery(collection, arrayOf(command['pipeline']));
    default:
      return [];
  }
}

function aggregateQuery(collection: string, pipeline: Record<string, unknown>[]): RecordedQuery[] {
  const [first, second, third] = pipeline;
  if (first && NON_QUERY_FIRST_STAGES.has(Object.keys(first)[0] ?? '')) return [];
  // Only a leading $match (and a $sort right after it) reaches the query planner.
  const filter = first && isObject(first['$match']) ? first['$match'] : {};
  const sortStage = first && '$match' in first ? second : first;
  const sort = sortStage && '$sort' in sortStage ? sortOf(sortStage['$sort']) : undefined;
  const limitStage = sort ? (first && '$match' in first ? third : second) : undefined;
  const limit = limitStage && '$limit' in limitStage ? positive(limitStage['$limit']) : undefined;
  return [compactQuery({ collection, kind: 'aggregate', filter, sort, limit })];
}

function filterOf(raw: unknown): Filter {
  return isObject(raw) ? raw : {};
}

function arrayOf(raw: unknown): Record<string, unknown>[] {
  return Array.isArray(raw) ? raw.filter(isObject) : [];
}

function compactQuery(query: RecordedQuery): RecordedQuery {
  const out: RecordedQuery = { collection: query.collection, kind: query.kind, filter: query.filter };
  if (query.sort) out.sort = query.sort;
  if (query.limit !== undefined) out.limit = query.limit;
  return out;
}

/**
 * The filter with every value replaced by its kind (`?` for a compared value, `[n]` for an $in
 * list of n values, `/^prefix/` kept for anchored regexes since the prefix decides the plan),
 * keys sorted: two queries with the same shape get the same plan.
 */
export function shapeOfFilter(filter: unknown, accessFields?: ReadonlySet<string>): unknown {
  if (Array.isArray(filter)) return filter.map((item) => shapeOfFilter(item, accessFields));
  if (!isObject(filter)) return '?';
  if (isPlainValue(filter)) return '?';
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(filter).sort()) {
    const value = filter[key];
    if (key === '$or' && accessFields && isAccessClause(value, accessFields)) out[key] = '<access>';
    else if (key === '$and' || key === '$or' || key === '$nor') out[key] = shapeOfFilter(value, accessFields);
    else if (key === '$in' || key === '$nin' || key === '$all') out[key] = listShape(value);
    else if (key === '$regex') out[key] = regexShape(value, filter['$options']);
    else if (key === '$exists' || key === '$type' || key === '$options') out[key] = value;
    else if (value instanceof RegExp) out[key] = regexShape(value, undefined);
    else if (isObject(value) && !isPlainValue(value) && Object.keys(value).some((k) => k.startsWith('$'))) out[key] = shapeOfFilter(value, accessFields);
    else out[key] = '?';
  }
  return out;
}

/** The size of an $in list matters to the plan only at 1 (an equality) and above 200 (no merged sort). */
function listShape(value: unknown): string {
  if (!Array.isArray(value)) return '?';
  if (value.length === 1) return '[1]';
  return value.length > MAX_MERGED_POINTS ? `[>${MAX_MERGED_POINTS}]` : '[list]';
}

/** MongoDB's internalQueryMaxScansToExplode: more point scans than this and a sort is not merged. */
export const MAX_MERGED_POINTS = 200;

function regexShape(value: unknown, options: unknown): string {
  const source = value instanceof RegExp ? value.source : String(value);
  const flags = value instanceof RegExp ? value.flags : typeof options === 'string' ? options : '';
  const prefix = literalPrefixOfRegex(source, flags);
  return prefix === undefined ? `/regex/${flags}` : `/^prefix/${flags}`;
}

/** Dates, ObjectIds, Decimal128 and other BSON values are compared values, not sub-filters. */
export function isPlainValue(value: unknown): boolean {
  if (!isObject(value)) return true;
  if (value instanceof Date || value instanceof RegExp) return true;
  const bsontype = (value as { _bsontype?: unknown })._bsontype;
  return typeof bsontype === 'string';
}

/** An `$or` whose branches only test the access fields (readableFilter / writableFilter). */
export function isAccessClause(branches: unknown, accessFields: ReadonlySet<string>): boolean {
  return (
    Array.isArray(branches) &&
    branches.length > 0 &&
    branches.every((branch) => isObject(branch) && Object.keys(branch).length > 0 && Object.keys(branch).every((key) => accessFields.has(key)))
  );
}

const REGEX_META = new Set(['\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$']);
const QUANTIFIERS = new Set(['*', '+', '?', '{']);

/**
 * The literal text every match starts with, when the regex is anchored (`^`) and case-sensitive:
 * MongoDB scans only the index range of that prefix. undefined: no usable prefix (an unanchored
 * or case-insensitive regex scans every key).
 */
export function literalPrefixOfRegex(source: string, flags: string): string | undefined {
  if (!source.startsWith('^') || /[imx]/.test(flags)) return undefined;
  if (hasTopLevelAlternation(source)) return undefined;
  let prefix = '';
  let i = 1;
  while (i < source.length) {
    let char = source[i] as string;
    let width = 1;
    if (char === '\\') {
      const next = source[i + 1];
      // \d, \w, \s, \b ... are classes, not literals.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      char = next;
      width = 2;
    } else if (REGEX_META.has(char)) {
      break;
    }
    const following = source[i + width];
    // A quantified character is optional or repeated: the prefix ends before it.
    if (following !== undefined && QUANTIFIERS.has(following)) break;
    prefix += char;
    i += width;
  }
  return prefix.length > 0 ? prefix : undefined;
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}
