/**
 * Backup and restore of one database as files a real MongoDB can import: one
 * `<collection>.json` per collection in MongoDB Extended JSON v2, canonical mode, one document
 * per line (what `mongoexport --jsonFormat=canonical` writes and `mongoimport` reads), one
 * `<collection>.indexes.json` with its index definitions, and `backup.json`, the manifest.
 *
 * Consistency: each collection is read once, in `_id` order, by one cursor. A backup of a database
 * nothing writes to (the app stopped) is a consistent copy. Taken while the app runs, each
 * collection is read at its own moment, and writes made during the backup may or may not be in
 * it: no point in time across collections (the embedded server has no snapshots to read from).
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { BSON, type Db, type Document, type IndexDescription } from 'mongodb';

const { EJSON } = BSON;

export const BACKUP_MANIFEST = 'backup.json';
export const BACKUP_FORMAT = 'event-monitor-backup/1';

export interface BackupCollection {
  name: string;
  documents: number;
  /** `<name>.json`: canonical Extended JSON v2, one document per line. */
  file: string;
  /** `<name>.indexes.json`: the collection's indexes except `_id_`. */
  indexesFile: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  database: string;
  startedAt: string;
  finishedAt: string;
  /** Where the copy came from, in words (e.g. "embedded database, data in /srv/em"). */
  source: string;
  /** How consistent the copy is, in words (see the module comment). */
  consistency: string;
  collections: BackupCollection[];
}

export interface BackupOptions {
  source: string;
  consistency: string;
}

/** Collections of the server's own, never part of a backup. */
const isSystemCollection = (name: string) => name.startsWith('system.');

/** Writes every collection of `db` into `outDir` (created; must not hold a backup already). */
export async function backupDatabase(db: Db, outDir: string, options: BackupOptions): Promise<BackupManifest> {
  mkdirSync(outDir, { recursive: true });
  if (readdirSync(outDir).length > 0) throw new Error(`${outDir} is not empty: choose a new directory for the backup`);
  const startedAt = new Date().toISOString();
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !isSystemCollection(name))
    .sort();
  const collections: BackupCollection[] = [];
  for (const name of names) {
    const file = `${name}.json`;
    const indexesFile = `${name}.indexes.json`;
    const out = createWriteStream(join(outDir, file), { encoding: 'utf8' });
    let documents = 0;
    try {
      const cursor = db.collection(name).find({}, { sort: { _id: 1 }, batchSize: 1_000, promoteLongs: false, promoteValues: false });
      for await (const doc of cursor) {
        if (!out.write(`${EJSON.stringify(doc, { relaxed: false })}\n`)) await once(out, 'drain');
        documents++;
      }
    } finally {
      out.end();
      await once(out, 'close');
    }
    const indexes = (await db.collection(name).listIndexes().toArray())
      .filter((index) => index['name'] !== '_id_')
      // `v` and `ns` describe the source server, not the index: the target fills in its own.
      .map((index) => Object.fromEntries(Object.entries(index).filter(([key]) => key !== 'v' && key !== 'ns')));
    writeFileSync(join(outDir, indexesFile), `${EJSON.stringify(indexes, undefined, 2, { relaxed: false })}\n`);
    collections.push({ name, documents, file, indexesFile });
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    database: db.databaseName,
    startedAt,
    finishedAt: new Date().toISOString(),
    source: options.source,
    consistency: options.consistency,
    collections,
  };
  writeFileSync(join(outDir, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface RestoreOptions {
  /** Drop the collections of the target database first; without it a non-empty target is refused. */
  drop?: boolean;
  /** Documents per insertMany. */
  chunk?: number;
}

export interface RestoreResult {
  collections: { name: string; documents: number; indexes: number }[];
}

export function readBackupManifest(fromDir: string): BackupManifest {
  const path = join(fromDir, BACKUP_MANIFEST);
  if (!existsSync(path)) throw new Error(`${fromDir} is not a backup made by db:backup (no ${BACKUP_MANIFEST} in it)`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${path}: unknown backup format ${JSON.stringify(manifest.format)}`);
  return manifest;
}

/** Loads a backup made by `backupDatabase` into `db`: documents, then indexes. */
export async function restoreDatabase(db: Db, fromDir: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const manifest = readBackupManifest(fromDir);
  const existing = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !isSystemCollection(n));
  if (!options.drop) {
    const nonEmpty: string[] = [];
    for (const name of existing) if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) nonEmpty.push(name);
    if (nonEmpty.length) {
      throw new Error(
        `database "${db.databaseName}" is not empty (${nonEmpty.join(', ')}): restore refuses to mix a backup into it; ` +
          'pass --drop to replace its contents',
      );
    }
  } else {
    for (const name of existing) await db.collection(name).drop();
  }
  const chunk = options.chunk ?? 1_000;
  const result: RestoreResult = { collections: [] };
  for (const entry of manifest.collections) {
    const collection = db.collection(entry.name);
    let documents = 0;
    let pending: Document[] = [];
    const flush = async () => {
      if (pending.length) await collection.insertMany(pending, { ordered: true });
      documents += pending.length;
      pending = [];
    };
    const lines = createInterface({ input: createReadStream(join(fromDir, entry.file), { encoding: 'utf8' }), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (!line.trim()) continue;
      try {
        pending.push(EJSON.parse(line, { relaxed: false }) as Document);
      } catch (error) {
        throw new Error(`${entry.file} line ${lineNumber} is not Extended JSON: ${(error as Error).message}`, { cause: error });
      }
      if (pending.length >= chunk) await flush();
    }
    await flush();
    if (documents !== entry.documents) {
      throw new Error(`${entry.file} holds ${documents} documents, the manifest says ${entry.documents}: the backup is incomplete`);
    }
    const indexes = EJSON.parse(readFileSync(join(fromDir, entry.indexesFile), 'utf8'), { relaxed: false }) as IndexDescription[];
    if (documents === 0) await db.createCollection(entry.name).catch(() => undefined);
    if (indexes.length) await collection.createIndexes(indexes);
    result.collections.push({ name: entry.name, documents, indexes: indexes.length });
  }
  return result;
}
