import { readFileSync, readdirSync } from 'node:fs';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import { TEST_URI_VARIABLE } from '@event-monitor/testing';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

/** One database server, the production web server on it, and a raw driver on the same database. */
export interface BenchHarness {
  live: LiveServer;
  /** The raw driver's handle on the web server's database. */
  db: Db;
  uri: string;
  /** The embedded database's process (CPU and memory figures), when the harness started it. */
  dbPid?: number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded server in memory (unless `uri` names a running one) and the production
 * build on it: startLiveServer takes the server from the test URI variable.
 */
export async function startHarness(options: { uri?: string; verbose?: boolean } = {}): Promise<BenchHarness> {
  let embedded: EmbeddedMongo | undefined;
  let uri = options.uri;
  if (!uri) {
    embedded = await startEmbeddedMongo({});
    uri = embedded.uri;
  }
  const previous = process.env[TEST_URI_VARIABLE];
  process.env[TEST_URI_VARIABLE] = uri;
  let live: LiveServer;
  try {
    live = await startLiveServer({ verbose: options.verbose, env: { MAINTENANCE_INTERVAL_SECONDS: '0' } });
  } catch (error) {
    await embedded?.stop();
    throw error;
  } finally {
    if (previous === undefined) delete process.env[TEST_URI_VARIABLE];
    else process.env[TEST_URI_VARIABLE] = previous;
  }
  const client = await MongoClient.connect(uri);
  return {
    live,
    db: client.db(live.dbName),
    uri,
    dbPid: embedded?.pid,
    stop: async () => {
      await client.close();
      await live.stop();
      await embedded?.stop();
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

function vmRssKb(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a process and its descendants in MB, or null where /proc is missing. */
export function processTreeRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...childrenOf(pids[i] as number));
  const kb = pids.reduce((sum, p) => sum + vmRssKb(p), 0);
  return kb > 0 ? kb / 1024 : null;
}

/** Samples the server's RSS every `everyMs` until stopped; returns the peak and the samples. */
export function sampleRss(pid: number | undefined, everyMs = 100) {
  const samples: number[] = [];
  const take = () => {
    const mb = processTreeRssMb(pid);
    if (mb !== null) samples.push(mb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return { peakMb: samples.length ? Math.max(...samples) : null, samples: samples.length };
    },
  };
}
