//@ts-check
// Response headers of every answer, shared by next.config.js (answers Next.js routes) and
// server.mjs (answers /api/event-job and /api/trpc itself, see docs/decisions.md).

// Pages get their Content-Security-Policy from proxy.ts (a fresh script nonce per request, see
// docs/decisions.md). Everything else the proxy does not see (API answers, build output, public
// files) gets this static one: none of it is a page that runs scripts or loads anything.
const staticContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

// Result files (the REST files route) may be HTML or SVG written by workers. The route asks for
// this sandbox policy on those, but a header set in next.config.js wins over the route's own, so
// it is set there for every file answer: a file opened directly runs no script and gets an opaque origin.
const filesContentSecurityPolicy =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const FILES_PREFIX = '/api/event-job/files/';

// Every answer, page or not.
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/**
 * The headers next.config.js gives an API path: the security headers and the static policy, or
 * the files sandbox policy under the files route.
 * @param {string} pathname
 * @returns {{ key: string, value: string }[]}
 */
function apiHeaders(pathname) {
  const policy = pathname.startsWith(FILES_PREFIX) ? filesContentSecurityPolicy : staticContentSecurityPolicy;
  return [...securityHeaders, { key: 'Content-Security-Policy', value: policy }];
}

module.exports = {
  staticContentSecurityPolicy,
  filesContentSecurityPolicy,
  securityHeaders,
  apiHeaders,
  FILES_PREFIX,
};
