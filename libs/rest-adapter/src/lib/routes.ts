import { exportJobsRoute } from './export/export.routes';
import { filesRoute } from './files/files.routes';
import { jsonResponse } from './http-errors';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi';
import { operationRoutes } from './operation.routes';
import type { RouteDef } from './route';
import { workerRoutes } from './worker.routes';

let cachedDocument: OpenApiDocument | undefined;

const openApiRoute: RouteDef = {
  method: 'GET',
  path: 'openapi.json',
  operationId: 'openApiDocument',
  summary: 'This OpenAPI 3.1 document (generated from the zod schemas of the routes)',
  tag: 'Meta',
  scope: 'public',
  raw: { contentType: 'application/json', description: 'The OpenAPI document' },
  handle: async () => jsonResponse(openApiDocument(), 200, { 'cache-control': 'public, max-age=300' }),
};

/**
 * The route table: the batch and job operations generated from the operation table, then the
 * hand-written worker lease protocol, file serving and the job export (a streamed body). Order matters where patterns overlap:
 * literal paths (`batches/stats`) come before the parameter patterns (`batches/{batchId}`).
 */
export const ROUTES: readonly RouteDef[] = [...operationRoutes, ...workerRoutes, filesRoute, openApiRoute, exportJobsRoute];

/** The OpenAPI document of every route, built once per process. */
export function openApiDocument(): OpenApiDocument {
  cachedDocument ??= buildOpenApiDocument(ROUTES);
  return cachedDocument;
}
