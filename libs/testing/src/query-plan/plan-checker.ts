/**
 * Decides whether a declared index serves a query under the equality-sort-range rule, the way
 * MongoDB's planner would on a large collection. Pure: no database, no driver.
 *
 * An index serves a query when, walking its keys in order:
 * 1. equality fields come first, in any order (`field: value`, `$eq`, `$in`);
 * 2. then the sort keys in sort order, all in the index direction or all reversed (sort keys
 *    bound by an equality are skipped: they are constant);
 * 3. then the range fields (`$gt`/`$gte`/`$lt`/`$lte`, an anchored case-sensitive regex); a range
 *    on a sort key is fine (the ordered scan is bounded by it);
 * and every equality, `$in` and range field of the filter is in that order in the index.
 * Negations, `$exists`, `$type`, unanchored regexes and the access clause bound nothing: they are
 * checked on the fetched documents (residual) and never make a query served or unserved.
 *
 * Special cases:
 * - a unique index whose every key is bound by an equality or `$in` serves the query alone;
 * - an `$in` before the sort keys gives the sort only by merging one scan per value (MongoDB
 *   "explodes" at most 200 of them), so a larger product of `$in` sizes leaves a blocking sort;
 * - a filter that bounds nothing is served only by an ordered walk: the sort comes from the
 *   index's first keys and a limit stops the scan;
 * - `$or`: served when the rest of the filter is served with the `$or` as a residual, or when
 *   every branch (with the rest of the filter added) is served on its own, sort included.
 */
import { isAccessClause, isPlainValue, literalPrefixOfRegex, MAX_MERGED_POINTS, shapeOfFilter, type Filter, type RecordedQuery, type SortSpec } from './recorded-query';

export interface GuardIndex {
  collection: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
}

/** A query shape that is allowed unserved, with the reason; matched on collection, kind, filter shape and sort. */
export interface GuardException {
  collection: string;
  /** Omitted: any kind of command with this shape. */
  kind?: RecordedQuery['kind'];
  /** `JSON.stringify(shapeOfFilter(filter))`, as printed by the guard's report; omitted: any shape. */
  filter?: string;
  /** `JSON.stringify(sort)`; omitted: any sort (or none). */
  sort?: string;
  /** The function name the query came from (the report's "from"); omitted: anywhere. */
  origin?: string;
  /**
   * Applies only when the filter binds this field by equality (the index range of one value, e.g. one
   * batch's jobs): an in-memory sort of a bounded range is allowed, a sort of the whole collection is not.
   */
  boundedBy?: string;
  /**
   * Applies only when the query WITHOUT its conditions on these fields is served by a declared
   * index: they are then filters checked on the documents of an index-served walk (never a scan).
   */
  residual?: readonly string[];
  reason: string;
}

export interface GuardConfig {
  indexes: readonly GuardIndex[];
  exceptions?: readonly GuardException[];
  /** Fields of the access clause (readableFilter / writableFilter): an `$or` over only these is residual. */
  accessFields?: readonly string[];
}

export type Verdict =
  | { served: true; by: string }
  | { served: false; why: string; suggestion: string };


type Condition = { kind: 'eq' } | { kind: 'in'; size: number } | { kind: 'range' } | { kind: 'residual' };

interface Conjunction {
  conditions: Map<string, Condition>;
  ors: Filter[][];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

function classify(value: unknown): Condition {
  if (value instanceof RegExp) return literalPrefixOfRegex(value.source, value.flags) === undefined ? { kind: 'residual' } : { kind: 'range' };
  if (!isObject(value) || isPlainValue(value)) return { kind: 'eq' };
  const operators = Object.keys(value);
  if (!operators.some((key) => key.startsWith('$'))) return { kind: 'eq' }; // an exact sub-document
  if ('$eq' in value) return { kind: 'eq' };
  if ('$in' in value) {
    const list = value['$in'];
    if (!Array.isArray(list) || list.some((item) => item instanceof RegExp)) return { kind: 'residual' };
    return list.length === 1 ? { kind: 'eq' } : { kind: 'in', size: list.length };
  }
  if (operators.some((key) => RANGE_OPERATORS.has(key))) return { kind: 'range' };
  if ('$regex' in value) {
    const regex = value['$regex'];
    const source = regex instanceof RegExp ? regex.source : String(regex);
    const flags = regex instanceof RegExp ? regex.flags : typeof value['$options'] === 'string' ? value['$options'] : '';
    return literalPrefixOfRegex(source, flags) === undefined ? { kind: 'residual' } : { kind: 'range' };
  }
  return { kind: 'residual' };
}

const STRENGTH: Record<Condition['kind'], number> = { eq: 3, in: 2, range: 1, residual: 0 };

function flatten(filter: Filter, accessFields: ReadonlySet<string>, into: Conjunction = { conditions: new Map(), ors: [] }): Conjunction {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isObject(part)) flatten(part, accessFields, into);
    } else if (key === '$or' && Array.isArray(value)) {
      if (!isAccessClause(value, accessFields)) into.ors.push(value.filter(isObject));
    } else if (key.startsWith('$')) {
      // $nor, $expr, $where, $text, $comment: checked on the documents, bound nothing.
    } else {
      const condition = classify(value);
      const before = into.conditions.get(key);
      if (!before || STRENGTH[condition.kind] > STRENGTH[before.kind]) into.conditions.set(key, condition);
    }
  }
  return into;
}

function describeIndex(index: GuardIndex): string {
  return `{ ${Object.entries(index.key).map(([field, direction]) => `${field}: ${direction}`).join(', ')} }${index.unique ? ' unique' : ''}`;
}

/** How many of the index's leading keys the query binds: picks the index worth naming in a finding. */
function affinity(index: GuardIndex, conditions: Map<string, Condition>, sort: SortSpec | undefined): number {
  let n = 0;
  for (const [field] of Object.entries(index.key)) {
    if (!conditions.has(field) && !(sort && field in sort)) break;
    n++;
  }
  return n;
}

/** Why one index does not serve the conjunction, or undefined when it does. */
function missOf(index: GuardIndex, conditions: Map<string, Condition>, sort: SortSpec | undefined, limit: number | undefined): string | undefined {
  const keys = Object.entries(index.key);
  const bounded = (kind: Condition['kind']) => [...conditions].filter(([, c]) => c.kind === kind).map(([field]) => field);
  const equalities = [...bounded('eq'), ...bounded('in')];
  const ranges = bounded('range');

  if (index.unique && keys.every(([field]) => { const c = conditions.get(field); return c?.kind === 'eq' || c?.kind === 'in'; })) {
    return undefined;
  }

  const sortKeys = Object.entries(sort ?? {}).filter(([field]) => conditions.get(field)?.kind !== 'eq');
  const seen = new Set<string>();
  let exploded = 1;
  let position = 0;
  // 1. equality prefix
  while (position < keys.length) {
    const [field] = keys[position] as [string, number];
    const condition = conditions.get(field);
    if (condition?.kind !== 'eq' && condition?.kind !== 'in') break;
    if (condition.kind === 'in') exploded *= condition.size;
    seen.add(field);
    position++;
  }
  // 2. sort keys, in order and one direction
  let flip: number | undefined;
  for (const [field, direction] of sortKeys) {
    const entry = keys[position];
    if (!entry || entry[0] !== field) {
      const where = keys.findIndex(([key]) => key === field);
      if (where === -1) return `sort key ${field} is not in the index`;
      const blocking = keys.slice(0, where).find(([key]) => !seen.has(key));
      return blocking && conditions.get(blocking[0])?.kind === 'range'
        ? `range on ${blocking[0]} comes before sort key ${field}`
        : `sort key ${field} does not follow the equality prefix in sort order`;
    }
    const ratio = entry[1] * direction;
    if (flip === undefined) flip = ratio;
    else if (flip !== ratio) return `sort direction of ${field} does not match the index (neither all the same nor all reversed)`;
    seen.add(field);
    position++;
  }
  if (sortKeys.length > 0 && exploded > MAX_MERGED_POINTS) {
    return `$in lists before the sort make ${exploded} point scans (more than ${MAX_MERGED_POINTS}): the sort would be a blocking one`;
  }
  // 3. ranges
  while (position < keys.length) {
    const [field] = keys[position] as [string, number];
    if (conditions.get(field)?.kind !== 'range') break;
    seen.add(field);
    position++;
  }

  const missingEquality = equalities.find((field) => !seen.has(field));
  if (missingEquality) {
    return keys.some(([key]) => key === missingEquality)
      ? `equality on ${missingEquality} is not in the index's equality prefix`
      : `equality on ${missingEquality} is not in the index`;
  }
  const missingRange = ranges.find((field) => !seen.has(field));
  if (missingRange) {
    return keys.some(([key]) => key === missingRange)
      ? `range on ${missingRange} is not placed after the equality and sort keys`
      : `range on ${missingRange} is not in the index`;
  }
  if (equalities.length === 0 && ranges.length === 0) {
    if (sortKeys.length === 0) return 'the filter bounds no index key: a full scan';
    if (limit === undefined) return 'the filter bounds no index key and no limit stops the ordered walk';
  }
  return undefined;
}

/** The index the ESR rule asks for: equalities, then the sort, then ranges. */
function suggestionFor(conditions: Map<string, Condition>, sort: SortSpec | undefined): string {
  const key: Record<string, 1 | -1> = {};
  for (const [field, condition] of [...conditions].sort(([a], [b]) => a.localeCompare(b))) {
    if (condition.kind === 'eq' || condition.kind === 'in') key[field] = 1;
  }
  for (const [field, direction] of Object.entries(sort ?? {})) if (!(field in key)) key[field] = direction;
  for (const [field, condition] of conditions) if (condition.kind === 'range' && !(field in key)) key[field] = 1;
  return Object.keys(key).length > 0 ? describeIndex({ collection: '', key }) : '(nothing in the filter can bound an index)';
}

function checkConjunction(
  conjunction: Conjunction,
  sort: SortSpec | undefined,
  limit: number | undefined,
  indexes: readonly GuardIndex[],
  accessFields: ReadonlySet<string>,
): Verdict {
  let closest: { miss: string; affinity: number } | undefined;
  for (const index of indexes) {
    const miss = missOf(index, conjunction.conditions, sort, limit);
    if (miss === undefined) return { served: true, by: describeIndex(index) };
    const score = affinity(index, conjunction.conditions, sort);
    if (!closest || score > closest.affinity) closest = { miss: `${describeIndex(index)}: ${miss}`, affinity: score };
  }
  const firstMiss = closest?.miss;
  // Each $or may instead be planned branch by branch (the other $or clauses stay residual).
  for (const [i, branches] of conjunction.ors.entries()) {
    const verdicts = branches.map((branch) => {
      const merged: Conjunction = { conditions: new Map(conjunction.conditions), ors: [] };
      flatten(branch, accessFields, merged);
      return checkConjunction(merged, sort, limit, indexes, accessFields);
    });
    if (verdicts.every((v) => v.served)) {
      return { served: true, by: `$or #${i + 1} branch by branch: ${verdicts.map((v) => (v.served ? v.by : '')).join(' | ')}` };
    }
  }
  const suggestion =
    conjunction.conditions.size === 0 && conjunction.ors.length > 0
      ? [...new Set(conjunction.ors[0]?.map((branch) => suggestionFor(flatten(branch, accessFields).conditions, sort)))].join(' and ')
      : suggestionFor(conjunction.conditions, sort);
  return {
    served: false,
    why: indexes.length === 0 ? 'no index is declared on this collection' : `no declared index serves it (e.g. ${firstMiss})`,
    suggestion,
  };
}

export function filterShapeKey(filter: Filter, accessFields: readonly string[] = []): string {
  return JSON.stringify(shapeOfFilter(filter, new Set(accessFields)));
}

/** Whether the conjunction with the `residual` fields' conditions dropped is served by an index. */
function servedWithout(
  residual: readonly string[],
  conjunction: Conjunction,
  query: RecordedQuery,
  indexes: readonly GuardIndex[],
  accessFields: ReadonlySet<string>,
): boolean {
  const conditions = new Map([...conjunction.conditions].filter(([field]) => !residual.includes(field)));
  if (conditions.size === conjunction.conditions.size) return false;
  return checkConjunction({ conditions, ors: conjunction.ors }, query.sort, query.limit, indexes, accessFields).served;
}

function exceptionFor(
  query: RecordedQuery,
  config: GuardConfig,
  conjunction: Conjunction,
  indexes: readonly GuardIndex[],
  accessFields: ReadonlySet<string>,
): GuardException | undefined {
  const shape = filterShapeKey(query.filter, config.accessFields);
  const sort = query.sort ? JSON.stringify(query.sort) : undefined;
  const origin = query.origin?.split(' ')[0];
  return config.exceptions?.find(
    (exception) =>
      // An exception names a shape or an origin at least: never "everything on this collection".
      (exception.filter !== undefined || exception.origin !== undefined) &&
      exception.collection === query.collection &&
      (exception.kind === undefined || exception.kind === query.kind) &&
      (exception.filter === undefined || exception.filter === shape) &&
      (exception.sort === undefined || exception.sort === sort) &&
      (exception.origin === undefined || exception.origin === origin) &&
      (exception.boundedBy === undefined || conjunction.conditions.get(exception.boundedBy)?.kind === 'eq') &&
      (exception.residual === undefined || servedWithout(exception.residual, conjunction, query, indexes, accessFields)),
  );
}

/** The verdict for one query: served by a declared index of its collection, by an exception, or not. */
export function checkQuery(query: RecordedQuery, config: GuardConfig): Verdict {
  const accessFields = new Set(config.accessFields ?? []);
  const indexes = config.indexes.filter((index) => index.collection === query.collection);
  const conjunction = flatten(query.filter, accessFields);
  // Every collection has the unique _id index, declared or not.
  if (conjunction.conditions.get('_id')?.kind === 'eq') return { served: true, by: '{ _id: 1 } unique (implicit)' };
  const verdict = checkConjunction(conjunction, query.sort, query.limit, indexes, accessFields);
  if (verdict.served) return verdict;
  const exception = exceptionFor(query, config, conjunction, indexes, accessFields);
  return exception ? { served: true, by: `exception: ${exception.reason}` } : verdict;
}

export interface Finding {
  collection: string;
  kind: RecordedQuery['kind'];
  filter: string;
  sort?: string;
  limited: boolean;
  why: string;
  suggestion: string;
  /** Where queries of this shape came from (up to 3). */
  origins: string[];
}

const MAX_ORIGINS = 3;

/** Every unserved query shape among `queries`, each once. */
export function findUnservedQueries(queries: Iterable<RecordedQuery>, config: GuardConfig): Finding[] {
  const findings = new Map<string, Finding>();
  const checked = new Set<string>();
  for (const query of queries) {
    const filter = filterShapeKey(query.filter, config.accessFields);
    const sort = query.sort ? JSON.stringify(query.sort) : undefined;
    const key = `${query.collection}|${query.kind}|${filter}|${sort ?? ''}|${query.limit !== undefined}`;
    // The origin is part of what is checked: an exception may cover a shape from one function only.
    const checkedKey = `${key}|${query.origin ?? ''}`;
    if (checked.has(checkedKey)) continue;
    checked.add(checkedKey);
    const verdict = checkQuery(query, config);
    if (verdict.served) continue;
    const known = findings.get(key);
    if (known) {
      if (query.origin && !known.origins.includes(query.origin) && known.origins.length < MAX_ORIGINS) known.origins.push(query.origin);
      continue;
    }
    findings.set(key, {
      collection: query.collection,
      kind: query.kind,
      filter,
      ...(sort ? { sort } : {}),
      limited: query.limit !== undefined,
      why: verdict.why,
      suggestion: verdict.suggestion,
      origins: query.origin ? [query.origin] : [],
    });
  }
  return [...findings.values()];
}

export interface Explained {
  query: RecordedQuery;
  filter: string;
  verdict: Verdict;
}

/** The verdict of every distinct shape among `queries` (served ones with their index or exception). */
export function explainQueries(queries: Iterable<RecordedQuery>, config: GuardConfig): Explained[] {
  const out = new Map<string, Explained>();
  for (const query of queries) {
    const filter = filterShapeKey(query.filter, config.accessFields);
    const key = `${query.collection}|${query.kind}|${filter}|${JSON.stringify(query.sort ?? null)}|${query.limit !== undefined}|${query.origin ?? ''}`;
    if (!out.has(key)) out.set(key, { query, filter, verdict: checkQuery(query, config) });
  }
  return [...out.values()];
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (f, i) =>
        `${i + 1}. ${f.collection} ${f.kind}${f.limited ? ' (limited)' : ''}\n` +
        `   filter: ${f.filter}\n` +
        (f.sort ? `   sort:   ${f.sort}\n` : '') +
        (f.origins.length > 0 ? `   from:   ${f.origins.join('; ')}\n` : '') +
        `   why:    ${f.why}\n` +
        `   index that would serve it: ${f.suggestion}`,
    )
    .join('\n');
}
