import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { HttpError } from '../http-errors';
import type { RouteDef } from '../route';
import { findReadableJobForFile } from './find-job-by-file';
import { cleanRelativePath, resolveInsideRoot } from './safe-path';
import { serveFile } from './serve-file';

export const FilesQuery = z.strictObject({
  /** `1` or `true`: Content-Disposition attachment instead of inline. */
  download: z.enum(['0', '1', 'true', 'false']).optional(),
});

function notFound(): HttpError {
  return new HttpError(404, 'NOT_FOUND', 'File not found');
}

export const filesRoute: RouteDef = {
  method: 'GET',
  path: 'files/{...path}',
  operationId: 'getFile',
  summary: 'A result file (markdown, asset) of a job you may read; ETag, Range and ?download=1 supported',
  tag: 'Files',
  scope: 'read',
  query: FilesQuery,
  raw: { contentType: '*/*', description: 'The file (206 with Content-Range for a Range request)' },
  handle: async ({ deps, actor, params, query, filesRoot, request }) => {
    if (!filesRoot) {
      throw new HttpError(404, 'NOT_FOUND', 'File serving is not configured on this server (set EVENT_FILES_DIR)');
    }
    const relativePath = cleanRelativePath(params['path']);
    const resolved = await resolveInsideRoot(filesRoot, relativePath);
    if (!resolved) throw notFound();
    const { realPath, realRelativePath } = resolved;
    const stats = await stat(realPath);
    if (!stats.isFile()) throw notFound();
    // Access is decided on the real path, so a symlink alias cannot borrow another job's rights.
    // Same answer whether the file is missing or not readable: no existence leak.
    const job = await findReadableJobForFile(deps, actor, realRelativePath, filesRoot);
    if (!job) throw notFound();
    const download = query['download'] === '1' || query['download'] === 'true';
    return serveFile(request, realPath, stats, download);
  },
};
