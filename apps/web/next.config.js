//@ts-check
const { join } = require('node:path');

const isDev = process.env.NODE_ENV === 'development';

// Next.js and next-themes put small inline scripts into every page (hydration data, the theme
// before paint), so scripts need 'unsafe-inline' without a nonce; everything else is same-origin.
// Dev mode (React refresh) also needs eval.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Several developers' builds on one machine can each use their own folder (default .next).
  distDir: process.env.EVENT_MONITOR_NEXT_DIST_DIR || '.next',
  // Libraries live outside this folder (libs/*, mapped by tsconfig paths); let both bundlers see them.
  turbopack: { root: join(__dirname, '../..') },
  outputFileTracingRoot: join(__dirname, '../..'),
  serverExternalPackages: ['mongoose', 'mongodb', 'pino', 'testcontainers'],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

module.exports = nextConfig;
