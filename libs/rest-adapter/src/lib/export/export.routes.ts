import { ExportFormat, ExportJobsQuery } from '@event-monitor/contracts';
import { exportJobs, type JobListItemDto } from '@event-monitor/domain';
import type { z } from 'zod';
import { HttpError, HttpErrorCode } from '../http-errors';
import type { RouteDef } from '../route';
import { csvHeader, csvRow, jsonRow } from './job-export-format';

/**
 * The job list's export (issue 18 item 7). Hand-written rather than declared in the operation
 * table: the table's answers are one JSON value in the envelope, an export is a streamed body.
 * The filter and access are checked before the first byte (a batch the caller may not read is a
 * 404 like the list); the body is then produced one keyset page at a time, as the client reads.
 */
export const exportJobsRoute: RouteDef = {
  method: 'GET',
  path: 'jobs/export/{format:^(csv|json)$}',
  operationId: 'exportJobs',
  summary:
    "The jobs of the list's filter as a CSV or JSON download, streamed; cells are safe from spreadsheet formulas",
  description:
    'Same filter as GET jobs (batch_id, status, search) plus error_signature; oldest job first. CSV: one header row, ' +
    'RFC 4180 quoting; JSON: an array of job list items. A cell or string starting with = + - @, a tab or a carriage ' +
    'return is prefixed with a single quote.',
  tag: 'Jobs',
  scope: 'read',
  query: ExportJobsQuery,
  raw: {
    contentType: 'text/csv',
    moreContentTypes: ['application/json'],
    description: 'The jobs (text/csv or application/json), as an attachment',
  },
  handle: async ({ deps, actor, params, query }) => {
    const format = ExportFormat.safeParse(params['format']);
    if (!format.success) throw new HttpError(404, HttpErrorCode.ROUTE_NOT_FOUND, 'No such route');
    const exported = await exportJobs(deps, actor, query as z.input<typeof ExportJobsQuery>);
    const name = `jobs-${exported.batch_id ?? 'all'}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format.data}`;
    return new Response(bodyOf(exported.pages, format.data), {
      status: 200,
      headers: {
        'content-type': format.data === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  },
};

/** A pull stream: the next page is read only when the client has taken the previous one. */
function bodyOf(pages: AsyncGenerator<JobListItemDto[]>, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  let rows = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            // The BOM lets Excel read UTF-8; the JSON array opens.
            controller.enqueue(encoder.encode(format === 'csv' ? `\uFEFF${csvHeader()}` : '['));
            return;
          }
          const next = await pages.next();
          if (next.done) {
            if (format === 'json') controller.enqueue(encoder.encode(rows === 0 ? ']\n' : '\n]\n'));
            controller.close();
            return;
          }
          let chunk = '';
          for (const job of next.value) {
            chunk += format === 'csv' ? csvRow(job) : `${rows === 0 ? '\n' : ',\n'}${jsonRow(job)}`;
            rows++;
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (err) {
          // Headers are gone: the client sees a cut body (no closing bracket / fewer rows), never a silent success.
          controller.error(err);
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
