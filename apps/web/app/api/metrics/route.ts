import { RateLimitedError } from '@event-monitor/auth';
import { isDatabaseUnavailable } from '@event-monitor/db';
import { authenticateRequest } from '../../../src/server/auth';
import { serverEnv } from '../../../src/server/env';
import { metricsAccess, processMetrics } from '../../../src/server/metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Prometheus scrape endpoint: METRICS_TOKEN as a Bearer token, or an admin's read token. */
export async function GET(request: Request): Promise<Response> {
  let access;
  try {
    access = await metricsAccess(request, { metricsToken: serverEnv().METRICS_TOKEN, authenticate: authenticateRequest });
  } catch (error) {
    if (error instanceof RateLimitedError) return Response.json({ error: error.message }, { status: 429 });
    // Checking an API token needs the database.
    if (isDatabaseUnavailable(error)) {
      return Response.json({ error: 'The database is not reachable right now' }, { status: 503 });
    }
    throw error;
  }
  if (access === 'unauthenticated') {
    return Response.json(
      { error: 'Send Authorization: Bearer <token>' },
      { status: 401, headers: { 'www-authenticate': 'Bearer' } },
    );
  }
  if (access === 'forbidden') return Response.json({ error: 'Admins only' }, { status: 403 });
  const { registry } = processMetrics();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}
