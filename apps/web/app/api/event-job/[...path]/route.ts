import { handleRestRequest } from '../../../../src/server/api-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Everything under /api/event-job is answered by the framework-agnostic REST adapter. In
 * production server.mjs calls the same function before Next.js routes the request; `next dev` comes here.
 */
export {
  handleRestRequest as GET,
  handleRestRequest as POST,
  handleRestRequest as DELETE,
  handleRestRequest as PUT,
  handleRestRequest as PATCH,
};
