import { databaseIsUp } from '../../../src/server/database';
import { APP_VERSION } from '../../../src/server/version';

export const dynamic = 'force-dynamic';

/** Liveness and database readiness, for load balancers, the start script and people. */
export async function GET(): Promise<Response> {
  const up = await databaseIsUp();
  const body = up
    ? { status: 'ok', db: 'up', version: APP_VERSION }
    : { status: 'error', db: 'down', version: APP_VERSION };
  return Response.json(body, { status: up ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
