import { withRestMetrics } from '../../../../src/server/metrics';
import { restHandler } from '../../../../src/server/rest';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Everything under /api/event-job is answered by the framework-agnostic REST adapter. */
function handle(request: Request): Promise<Response> {
  return withRestMetrics(request, restHandler());
}

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
export const PUT = handle;
export const PATCH = handle;
