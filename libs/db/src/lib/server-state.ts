/**
 * `npm start` notes which port serves a data directory, so that `db:backup` / `db:restore` talk to
 * the running server instead of trying to open files it holds (the launcher would refuse: exit 3, the store is locked).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_STATE_FILE = 'event-monitor-server.json';

export interface ServerState {
  /** The process that supervises the server (serve.ts), not the Java process: it outlives restarts. */
  pid: number;
  port: number;
  dbName: string;
  startedAt: string;
}

export function writeServerState(dataDir: string, state: ServerState): () => void {
  const path = join(dataDir, SERVER_STATE_FILE);
  writeFileSync(path, `${JSON.stringify(state)}\n`);
  return () => rmSync(path, { force: true });
}

/** The state of a server still running on `dataDir`, or undefined (none, or its owner is gone). */
export function readServerState(dataDir: string): ServerState | undefined {
  const path = join(dataDir, SERVER_STATE_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as ServerState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined; // unreadable, or its process is gone (a stale file after a crash)
  }
}
