//@ts-check
const { join } = require('node:path');

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

module.exports = nextConfig;
