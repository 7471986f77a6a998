import { canRead, readableFilter, type Actor, type DomainDeps } from '@event-monitor/domain';
import { posix } from 'node:path';

/**
 * Proposed for the domain as `findJobByFile(deps, actor, relativePath)`; lives here until then.
 *
 * A file belongs to the jobs whose `results.markdown_file` is it or whose `results.assets` list
 * it (stored paths may carry a leading `./`, `/` or the files root). When some job owns the file
 * exactly, only those owners decide. Otherwise the file is one of the assets kept under the
 * directory of a job's markdown file, and a readable job with its markdown file in one of the
 * file's ancestor directories grants access. Returns the id of a job that grants access, or null.
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
    { $or: [{ 'results.markdown_file': { $in: spellings } }, { 'results.assets': { $in: spellings } }] },
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
  const holder = await deps.models.Job.findOne(
    {
      $and: [
        readableFilter(actor),
        {
          $or: ancestors.flatMap((dir) =>
            leads.map((lead) => ({ 'results.markdown_file': { $regex: `^${escapeRegex(`${lead}${dir}`)}/[^/]+$` } })),
          ),
        },
      ],
    },
    { _id: 0, job_id: 1 },
  ).lean();
  return holder?.job_id ?? null;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
