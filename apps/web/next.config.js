//@ts-check
const { join } = require('node:path');

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
};

module.exports = nextConfig;
