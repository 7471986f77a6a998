import { NextResponse, type NextRequest } from 'next/server';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function refuse(status: number, code: string, message: string, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json({ status: 'error', code, message }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/**
 * Two requests Next.js answers with a bare 500 before any API handler runs, although the client
 * is at fault: a malformed percent-encoding in a dynamic path (`/api/event-job/%c0`), and methods
 * like TRACE. Both get a 4xx in the REST envelope here.
 */
export function proxy(request: NextRequest): NextResponse {
  if (!METHODS.includes(request.method)) {
    return refuse(405, 'METHOD_NOT_ALLOWED', `Method ${request.method} not allowed`, { allow: METHODS.join(', ') });
  }
  try {
    decodeURIComponent(new URL(request.url).pathname);
  } catch {
    return refuse(400, 'BAD_REQUEST', 'Malformed percent-encoding in the path');
  }
  return NextResponse.next();
}

export const config = { matcher: '/api/:path*' };
