//@ts-check
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { PHASE_PRODUCTION_SERVER } = require('next/constants');

const { filesContentSecurityPolicy, securityHeaders, staticContentSecurityPolicy } = require('./http-headers');

// The paths proxy.ts skips (its matcher is the complement of these; keep both in step).
const NON_PAGE_PATHS = ['/api', '/api/:path*', '/_next/:path*', '/:file(.*\\.\\w+)'];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Several developers' builds on one machine can each use their own folder (default .next).
  distDir: process.env.EVENT_MONITOR_NEXT_DIST_DIR || '.next',
  // Libraries live outside this folder (libs/*, mapped by tsconfig paths); let both bundlers see them.
  turbopack: { root: join(__dirname, '../..') },
  outputFileTracingRoot: join(__dirname, '../..'),
  serverExternalPackages: ['mongoose', 'mongodb', 'pino', 'testcontainers'],
  poweredByHeader: false,
  // Load a route's code when it is first requested, not every route at start: a server that mostly
  // answers workers never loads the admin pages (docs/performance.md, server memory).
  experimental: { preloadEntriesOnStart: false },
  reactStrictMode: true,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      ...NON_PAGE_PATHS.map((source) => ({
        source,
        headers: [{ key: 'Content-Security-Policy', value: staticContentSecurityPolicy }],
      })),
      // Last, so it overrides the /api rule (the last matching rule wins for a header).
      {
        source: '/api/event-job/files/:path*',
        headers: [{ key: 'Content-Security-Policy', value: filesContentSecurityPolicy }],
      },
    ];
  },
};

const HEAP_GROWING = '--heap-growing-percent';

/**
 * The production server starts a full garbage collection once the heap has grown by half over
 * what the last one kept, instead of V8's adaptive factor of up to 4x: under 32 workers the live
 * heap stays near 70 MB, but the server grew to about 330 MB of mostly garbage before collecting
 * (docs/performance.md, server memory). V8 reads the flag at each collection, so setting it here,
 * at start, takes effect; a value given on the server's command line wins.
 * @param {string} phase
 */
module.exports = (phase) => {
  if (phase === PHASE_PRODUCTION_SERVER && !process.execArgv.some((arg) => arg.startsWith(HEAP_GROWING))) {
    setFlagsFromString(`${HEAP_GROWING}=50`);
  }
  return nextConfig;
};
