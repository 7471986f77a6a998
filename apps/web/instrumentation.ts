/**
 * Runs once when a server process starts (Node.js runtime only): the periodic maintenance sweep,
 * and the API handler that server.mjs calls without going through Next.js's router.
 */
export async function register(): Promise<void> {
  if (process.env['NEXT_RUNTIME'] === 'nodejs') {
    const { startMaintenance } = await import('./src/server/maintenance');
    startMaintenance();
    const { publishDirectApi } = await import('./src/server/direct-api');
    publishDirectApi();
  }
}
