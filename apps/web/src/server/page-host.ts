import type { Host } from './host';

/**
 * The host server.mjs created, for the pages. Next.js bundles the pages into a module graph of
 * its own, so an import of host.ts here would build a second connection, auth and feed; the
 * process is the one thing both graphs share, and server.mjs puts the host on it before Next.js
 * starts (docs/decisions.md, "One host object"). Types only from host.ts: nothing of it is bundled.
 */
const HOST = Symbol.for('event-monitor.host');

export function publishHost(host: Host): void {
  (globalThis as { [HOST]?: Host })[HOST] = host;
}

export function pageHost(): Host {
  const host = (globalThis as { [HOST]?: Host })[HOST];
  if (!host) throw new Error('No host: the app runs under apps/web/server.mjs (npm start, npm run dev)');
  return host;
}
