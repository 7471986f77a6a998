import { handleAuthRequest } from '@event-monitor/auth';
import { getAuth } from '../../../../src/server/auth';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Only the better-auth routes the app uses are served (SERVED_AUTH_ENDPOINTS); the rest is 404. */
async function handle(request: Request): Promise<Response> {
  try {
    return await handleAuthRequest(await getAuth(), request);
  } catch (error) {
    if (error instanceof Error && error.name === 'DatabaseUnavailableError') {
      return Response.json(
        { message: 'The database is not reachable right now', code: 'DATABASE_UNAVAILABLE' },
        { status: 503 },
      );
    }
    throw error;
  }
}

export { handle as GET, handle as POST };
