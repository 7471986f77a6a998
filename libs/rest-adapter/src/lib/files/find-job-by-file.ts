import { canRead, legacyResultFiles, readableFilter, type Actor, type DomainDeps, type JobRecord } from '@event-monitor/domain';
import { posix } from 'node:path';

/** How many legacy jobs of a folder are read for their markdown links; a folder rarely holds more. */
const LEGACY_CANDIDATES = 50;

/**
 * Proposed for the domain as `findJobByFile(deps, actor, relativePath)`; lives here until then.
 *
 * A file is served to a principal who may read a job naming it: its markdown file, a listed
 * asset, or a file its markdown links to. Jobs completed here carry that list (`result_files`,
 * recorded and checked at completion); a stored path may also carry a leading `./`, `/` or the
 * files root. When some job names the file exactly, only those jobs decide. Otherwise jobs a
 * legacy worker completed (no list) whose markdown sits in one of the file's ancestor folders
 * are read, and their markdown's links decide: sharing a folder grants nothing (the legacy layout
 * `sessions/<event>/<lang>/` is shared by every user of an event). Returns a granting job's id, or null.
 */
export async function findReadableJobForFile(
  deps: DomainDeps,
  actor: Actor,
  relativePath: string,
  filesRoot: string,
): Promise<string | null> {
  const root = filesRoot.replace(/\/+$/, '');
  const spellings = [relativePath, `./${relativePath}`, `/${relativePath}`, `${root}/${relativePath}`];
  const owners = await deps.models.Job.find(
    {
      $or: [
        { result_files: relativePath },
        { 'results.markdown_file': { $in: spellings } },
        { 'results.assets': { $in: spellings } },
      ],
    },
    { _id: 0, job_id: 1, user_id: 1, access_control: 1 },
  )
    .limit(100)
    .lean();
  if (owners.length > 0) return owners.find((job) => canRead(actor, job))?.job_id ?? null;

  const ancestors: string[] = [];
  for (let dir = posix.dirname(relativePath); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) ancestors.push(dir);
  if (ancestors.length === 0) return null;
  // One anchored, case-sensitive regex per stored spelling of each ancestor directory: each is a
  // range of the results.markdown_file index (an optional leading group would scan the whole index).
  const leads = ['', './', '/', `${root}/`];
  const candidates = await deps.models.Job.find(
    {
      $and: [
        readableFilter(actor),
        { result_files: { $exists: false } },
        {
          $or: ancestors.flatMap((dir) =>
            leads.map((lead) => ({ 'results.markdown_file': { $regex: `^${escapeRegex(`${lead}${dir}`)}/[^/]+$` } })),
          ),
        },
      ],
    },
    { _id: 0, job_id: 1, 'results.markdown_file': 1, 'results.markdown_content': 1 },
  )
    .limit(LEGACY_CANDIDATES)
    .lean<JobRecord[]>();
  for (const job of candidates) {
    const markdownFile = stripRoot(job.results?.markdown_file, root);
    const files = legacyResultFiles({ results: { markdown_file: markdownFile, markdown_content: job.results?.markdown_content } });
    if (files.includes(relativePath)) return job.job_id;
  }
  return null;
}

/** A legacy markdown path stored with the files root in front, as a path under the root. */
function stripRoot(path: string | null | undefined, root: string): string | null | undefined {
  return typeof path === 'string' && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
