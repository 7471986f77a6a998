import { NextResponse, type NextRequest } from 'next/server';

/**
 * The Content-Security-Policy of a page, with a fresh nonce per request. Next.js reads the nonce
 * from the request's CSP header and puts it on its own scripts (runtime, chunks, hydration data);
 * the root layout passes it to next-themes for its theme script. 'strict-dynamic' lets those
 * scripts load further chunks; an injected <script> without the nonce does not run.
 *
 * style-src keeps 'unsafe-inline' and has no nonce on purpose: React style attributes (Radix,
 * sonner, recharts), the chart's <style> tag and next-themes' transition blocker are inline
 * styles without a nonce, and a nonce in style-src would make browsers ignore 'unsafe-inline'.
 */
function pageContentSecurityPolicy(nonce: string): string {
  // Dev mode (React's error overlay and refresh) needs eval; production does not.
  const isDev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The sign-in form submitted without its scripts (before hydration, or when they failed to load):
 * it posts to its own page, and an old page or a hand-made link may still put the credentials
 * in the query. Either way the browser is sent back to a clean /sign-in (303), so the password
 * is neither rendered, kept in the history, nor resubmitted on reload.
 */
function signInWithoutScripts(request: NextRequest): NextResponse | null {
  if (request.nextUrl.pathname !== '/sign-in') return null;
  const credentialsInUrl = request.nextUrl.searchParams.has('password') || request.nextUrl.searchParams.has('email');
  if (!(request.method === 'POST' && !request.headers.has('next-action')) && !credentialsInUrl) return null;
  const clean = request.nextUrl.clone();
  clean.search = '';
  const response = NextResponse.redirect(clean, 303);
  response.headers.set('cache-control', 'no-store');
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const policy = pageContentSecurityPolicy(nonce);
  const cleaned = signInWithoutScripts(request);
  if (cleaned) {
    cleaned.headers.set('content-security-policy', policy);
    return cleaned;
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only. A proxy that runs for /api makes Next buffer every request body (uploads hang or
  // get cut short before the 413 body limit answers), so API routes, build output and public files
  // (a dot in the last segment) stay out; next.config.js gives them a static policy. Keep this
  // in step with NON_PAGE_PATHS there.
  matcher: ['/((?!api/|api$|_next/|.*\\.\\w+$).*)'],
};
