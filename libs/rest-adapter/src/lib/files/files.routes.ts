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

const SERVING_OFF = 'File serving is not configured on this server (set EVENT_FILES_DIR)';

/**
 * A browser that follows a result-file link gets a page that says why, not a JSON error; API
 * clients keep the JSON answer. No script, no style from outside: the page's own CSP says so.
 */
function servingOffPage(): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>File serving is off</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1 style="font-size: 1.25rem">File serving is off on this server</h1>
<p>This Event Monitor does not serve result files. An administrator turns it on by setting
<code>EVENT_FILES_DIR</code> to the folder the workers write their results to
(<code>npm start</code> uses <code>.data/files</code> unless it is set).</p>
<p lang="de">Dieser Server liefert keine Ergebnisdateien aus. Eine Administratorin schaltet das mit
<code>EVENT_FILES_DIR</code> ein (der Ordner, in den die Worker ihre Ergebnisse schreiben).</p>
</body></html>`;
  return new Response(html, {
    status: 404,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}

function wantsHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return /\btext\/html\b/i.test(accept);
}

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
      if (wantsHtml(request)) return servingOffPage();
      throw new HttpError(404, 'NOT_FOUND', SERVING_OFF);
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
