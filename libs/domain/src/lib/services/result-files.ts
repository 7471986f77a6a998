import { posix } from 'node:path';
import type { JobParametersRecord, JobRecord, JobResultsRecord } from '../models/job.model';

/**
 * Which files a job's results name, and where a job may put them.
 *
 * A job names its markdown file, its listed assets and the files its markdown links to
 * (relative links, resolved against the markdown file's folder, and links to the files route).
 * The files route serves a file only to someone who may read a job naming it; a completion
 * records the list in `result_files` (the legacy reader ignores the key). Jobs a legacy worker
 * completed have no list: their names are derived from `results` when a file is asked for.
 *
 * Where: the legacy layout is `sessions/<event>/<target_language>/<session>.md` with attachments
 * under `sessions/<event>/<target_language>/assets/<name>/`. A completion may name files only
 * under its own `sessions/<event>/<target_language>/`; the event folder is matched loosely (case,
 * accents and punctuation ignored: "FOSDEM 2025" is `FOSDEM_2025` or `fosdem-2025`), since each
 * worker spells it its own way.
 */

const FILES_ROUTE = '/api/event-job/files/';

/** A stored path as the files route compares it: no leading `./` or `/`, no `.`/`..` steps; null if it leaves the root. */
export function normalizeResultPath(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return null;
  const normalized = posix.normalize(trimmed.replace(/\\/g, '/')).replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  if (normalized === '' || normalized === '.' || normalized === '..' || normalized.startsWith('../')) return null;
  return normalized.replace(/\/+$/, '');
}

// [text](target "title"), ![alt](<target>), reference definitions `[x]: target`, and src/href attributes.
const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;
const HTML_ATTRIBUTE = /\b(?:src|href)\s*=\s*["']([^"']+)["']/gi;

/** The link targets a markdown text holds (as written). */
export function markdownLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const pattern of [INLINE_LINK, REFERENCE, HTML_ATTRIBUTE]) {
    for (const match of markdown.matchAll(pattern)) if (match[1]) links.push(match[1]);
  }
  return links;
}

/** A link of a markdown file as a path under the files root, or null (web links, anchors, outside). */
export function resolveLink(markdownFile: string | null, link: string): string | null {
  let target = link.split('#')[0]?.split('?')[0] ?? '';
  if (target === '') return null;
  try {
    target = decodeURIComponent(target);
  } catch {
    return null;
  }
  if (target.startsWith(FILES_ROUTE)) return normalizeResultPath(target.slice(FILES_ROUTE.length));
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/') || target.startsWith('//')) return null;
  const folder = markdownFile ? posix.dirname(markdownFile) : '.';
  return normalizeResultPath(posix.join(folder, target));
}

/** One file a job's results name: which field named it, and its normalized path. */
export interface NamedFile {
  field: string;
  path: string | null;
}

/** What the results name: markdown file and assets (by field) and the markdown's links. */
export function filesNamedByResults(results: Pick<JobResultsRecord, 'markdown_file' | 'assets' | 'markdown_content'> | null | undefined): {
  markdownFile: string | null;
  named: NamedFile[];
  linked: string[];
} {
  if (!results || typeof results !== 'object') return { markdownFile: null, named: [], linked: [] };
  const named: NamedFile[] = [];
  const markdownFile = typeof results.markdown_file === 'string' ? normalizeResultPath(results.markdown_file) : null;
  if (typeof results.markdown_file === 'string' && results.markdown_file !== '') named.push({ field: 'results.markdown_file', path: markdownFile });
  if (Array.isArray(results.assets)) {
    results.assets.forEach((asset, index) => {
      if (typeof asset === 'string' && asset !== '') named.push({ field: `results.assets.${index}`, path: normalizeResultPath(asset) });
    });
  }
  const linked =
    typeof results.markdown_content === 'string'
      ? markdownLinks(results.markdown_content)
          .map((link) => resolveLink(markdownFile, link))
          .filter((path): path is string => path !== null)
      : [];
  return { markdownFile, named, linked: [...new Set(linked)] };
}

/** Letters and digits only, lower case, accents dropped: how two spellings of a folder compare. */
function folderKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The ASCII letters and digits of folderKey. */
function asciiKey(text: string): string {
  return folderKey(text).replace(/[^a-z0-9]+/g, '');
}

/**
 * Is `path` under the job's own `sessions/<event>/<target_language>/`? Attachments there sit in
 * `assets/<name>/` where `<name>` is the markdown file's name without `.md`: a job may name only its
 * own attachment folder, so an unlisted file in another session's folder cannot be claimed.
 */
export function isInOutputLocation(path: string, parameters: JobParametersRecord | null | undefined, markdownFile?: string | null): boolean {
  const [top, event, language, ...rest] = path.split('/');
  if (top !== 'sessions' || event === undefined || language === undefined || rest.length === 0) return false;
  const expectedLanguage = typeof parameters?.target_language === 'string' && parameters.target_language ? parameters.target_language : 'de';
  if (language.toLowerCase() !== expectedLanguage.toLowerCase()) return false;
  const eventName = typeof parameters?.event === 'string' ? parameters.event : '';
  // Letters of any script, or only their ASCII part (workers that fold names to ASCII, like the
  // demo worker, write `東京会議` as its fallback `event`); an event without either: `event`.
  const same = (key: (text: string) => string) => key(event) === (key(eventName) || 'event');
  if (!same(folderKey) && !same(asciiKey)) return false;
  if (rest[0] === 'assets' && rest.length > 1) {
    const stem = markdownFile ? posix.basename(markdownFile).replace(/\.[^.]*$/, '') : null;
    return stem !== null && rest[1] === stem && posix.dirname(markdownFile as string) === `sessions/${event}/${language}`;
  }
  return true;
}

/** The files a legacy job (no `result_files`) names, derived from its results. */
export function legacyResultFiles(job: Pick<JobRecord, 'results'>): string[] {
  const { named, linked } = filesNamedByResults(job.results);
  return [...named.map((file) => file.path).filter((path): path is string => path !== null), ...linked];
}
