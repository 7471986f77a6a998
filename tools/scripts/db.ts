// `npm run db:backup [-- --out DIR]` and `npm run db:restore -- DIR [--drop]`: a copy of the database
// the app uses (MONGODB_URI when set, else the embedded one on its data directory) as files that
// `mongoimport` reads, and back. See "Backup, restore, moving to MongoDB" in README.md.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import {
  backupDatabase,
  DEFAULT_DB_NAME,
  findWorkspaceRoot,
  readDatabaseEnv,
  readServerState,
  restoreDatabase,
  startEmbeddedMongo,
  type EmbeddedMongo,
} from '@event-monitor/db';

const say = (line: string) => console.error(`[db] ${line}`);

interface Target {
  uri: string;
  dbName: string;
  /** In words, for the log and the manifest. */
  source: string;
  /** True when the app may be writing while we read (a running `npm start`, or any MONGODB_URI). */
  live: boolean;
  stop(): Promise<void>;
}

async function openTarget(): Promise<Target> {
  const env = readDatabaseEnv();
  const dbName = env.MONGODB_DB ?? DEFAULT_DB_NAME;
  if (env.MONGODB_URI) {
    return { uri: env.MONGODB_URI, dbName, source: `MONGODB_URI (database "${dbName}")`, live: true, stop: async () => undefined };
  }
  const dataDir = resolve(env.EVENT_MONITOR_DATA_DIR ?? join(findWorkspaceRoot(), '.data'));
  const running = readServerState(dataDir);
  if (running) {
    return {
      uri: `mongodb://127.0.0.1:${running.port}/`,
      dbName: running.dbName,
      source: `the running embedded database (port ${running.port}, data in ${dataDir})`,
      live: true,
      stop: async () => undefined,
    };
  }
  // Nothing serves the files: open them ourselves; nobody else can write meanwhile.
  const server: EmbeddedMongo = await startEmbeddedMongo({ dataDir });
  return { uri: server.uri, dbName, source: `the embedded database, data in ${dataDir} (app stopped)`, live: false, stop: server.stop };
}

const CONSISTENT = 'consistent: the database was not served to the app while the copy was made';
const LIVE =
  'not a point in time: the app may have written while the copy was made; each collection was read once, in turn. ' +
  'Stop the app (npm start) first for a consistent copy';

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: 'string' }, drop: { type: 'boolean', default: false } },
  });
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  if (command !== 'backup' && command !== 'restore') throw new Error('usage: db.ts backup [--out DIR] | restore DIR [--drop]');
  if (command === 'restore' && positionals.length !== 1) throw new Error('usage: npm run db:restore -- <backup dir> [--drop]');

  const target = await openTarget();
  const client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const db = client.db(target.dbName);
    if (command === 'backup') {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const out = resolve(cwd, values.out ?? join(findWorkspaceRoot(), 'backups', `event-monitor-${stamp}`));
      say(`backing up ${target.source} into ${out} ...`);
      if (target.live) say(`warning: ${LIVE}.`);
      const manifest = await backupDatabase(db, out, { source: target.source, consistency: target.live ? LIVE : CONSISTENT });
      for (const c of manifest.collections) say(`  ${c.name}: ${c.documents} documents`);
      say(`done: ${out}`);
    } else {
      const from = resolve(cwd, positionals[0] as string);
      say(`restoring ${from} into ${target.source}${values.drop ? ', replacing what is there' : ''} ...`);
      const result = await restoreDatabase(db, from, { drop: values.drop });
      for (const c of result.collections) say(`  ${c.name}: ${c.documents} documents, ${c.indexes} indexes`);
      say('done.');
    }
  } finally {
    await client.close();
    await target.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
