/**
 * The job search's words (issue 18 item 4). A job's `search_terms` are the lower-cased words of
 * what a person would search it by: name, ids, type, every parameter, the error and the start of
 * its result text. A query is split the same way and every word of it must be the start of one of
 * the job's terms. MongoDB's $text is not used: the embedded server has none (docs/decisions.md).
 */
import { escapeRegex } from '../util';
import type { JobRecord } from '../models/job.model';

/** At most this many distinct terms per job (metadata first, so the result text is what is cut). */
export const MAX_SEARCH_TERMS = 2000;
/** Characters of result text (all result fields together) that are indexed. */
export const MAX_RESULT_TEXT = 20_000;
/** Longer words are cut: a base64 blob is not something anyone types. */
export const MAX_TERM_LENGTH = 64;
/** Words of a query beyond this many are ignored (each is one more condition). */
export const MAX_QUERY_WORDS = 8;

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** The lower-cased words of a text (letters and digits of any script; everything else separates). */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(SEPARATORS)
    .filter((word) => word.length > 0)
    .map((word) => word.slice(0, MAX_TERM_LENGTH));
}

const RESULT_TEXT_FIELDS = ['markdown_file', 'markdown_content', 'web_text', 'video_transcript', 'attachments_text', 'attachments_url'] as const;

function textsOf(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) textsOf(item, into);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const item of Object.values(value)) textsOf(item, into);
}

/**
 * A generated id (`job-<uuid>`, `batch-<uuid>`) is one term, kept whole: split, its hex parts were
 * words like `0a3f` that any search for a number (`Talk 0`) matched in nearly every job. A query
 * word of that shape is looked up whole too (`queryWordsOf`), so a typed id or its start finds it.
 */
const GENERATED_ID = /^(job|batch)-[0-9a-f]{8}(-[0-9a-f]{0,12}){0,4}$/;

/** An id as a whole term when it has the generated shape; else its words (client-chosen batch ids). */
function idTerms(id: string | null | undefined): string[] {
  if (!id) return [];
  const lower = id.normalize('NFKC').toLowerCase();
  return GENERATED_ID.test(lower) ? [lower.slice(0, MAX_TERM_LENGTH)] : wordsOf(lower);
}

/**
 * The terms of a job as stored (written by us or by a legacy worker; any key may be missing).
 * URLs need no whole form: a query is split the same way, so `https://x.org/a` asks for the terms
 * `https`, `x`, `org` and `a`. Generated ids are whole terms (above).
 */
export function searchTermsOf(job: Partial<JobRecord>): string[] {
  const meta: string[] = [];
  textsOf([job.job_name, job.job_type, job.event_type, job.parameters, job.error?.code, job.error?.message], meta);
  const terms = new Set<string>([...idTerms(job.job_id), ...idTerms(job.batch_id)]);
  const add = (text: string) => {
    for (const word of wordsOf(text)) {
      if (terms.size >= MAX_SEARCH_TERMS) return;
      terms.add(word);
    }
  };
  for (const text of meta) add(text);
  let budget = MAX_RESULT_TEXT;
  const results = job.results as Record<string, unknown> | undefined;
  for (const field of RESULT_TEXT_FIELDS) {
    const text = results?.[field];
    if (typeof text !== 'string' || budget <= 0) continue;
    add(text.slice(0, budget));
    budget -= text.length;
  }
  return [...terms].sort();
}

/** The words of a search input (at most MAX_QUERY_WORDS, duplicates and prefixes of others dropped). */
export function queryWordsOf(search: string): string[] {
  const tokens = search.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  // A token that starts like a generated id is its whole (prefix) term; everything else splits into words.
  const all = tokens.flatMap((token) => (/^(job|batch)-[0-9a-f]{4}/.test(token) ? [token.slice(0, MAX_TERM_LENGTH)] : wordsOf(token)));
  const words = [...new Set(all)].sort((a, b) => b.length - a.length);
  // "key keynote" asks nothing more than "keynote": a word that starts another one is implied.
  const kept = words.filter((word, i) => !words.slice(0, i).some((longer) => longer.startsWith(word)));
  return kept.slice(0, MAX_QUERY_WORDS);
}

/**
 * The filter of "every word of `search` starts one of the job's terms" (undefined: no search). A
 * search of only punctuation (`.*`) has no word and matches nothing. Each condition is an anchored,
 * case-sensitive regex on lower-cased terms: an index range on `{search_terms: 1}` on MongoDB.
 */
export function searchFilterOf(search: string | undefined): Record<string, unknown> | undefined {
  if (!search) return undefined;
  const words = queryWordsOf(search);
  if (words.length === 0) return { search_terms: { $in: [] } };
  const conditions = words.map((word) => ({ search_terms: { $regex: `^${escapeRegex(word)}` } }));
  return conditions.length === 1 ? conditions[0] : { $and: conditions };
}
