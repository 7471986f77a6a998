/** Runs once when a server process starts: the periodic maintenance sweep (Node.js runtime only). */
export async function register(): Promise<void> {
  if (process.env['NEXT_RUNTIME'] === 'nodejs') {
    const { startMaintenance } = await import('./src/server/maintenance');
    startMaintenance();
  }
}
