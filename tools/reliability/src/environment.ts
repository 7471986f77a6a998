import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import { freePort, startLiveServer, type LiveServer } from '@event-monitor/testing-live';

const WORKER_SCRIPT = join(__dirname, 'worker.ts');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EnvironmentOptions {
  /** MAINTENANCE_INTERVAL_SECONDS of the app: how soon expired leases are swept. */
  maintenanceSeconds: number;
  /**
   * The database keeps its data in memory instead of its on-disk store. Only the database-fault scenario
   * needs files (a restart must find the data); in memory the embedded server scans the pending
   * jobs of each claim far faster, so the load scenario measures the product, not disk reads.
   */
  inMemory?: boolean;
  verbose?: boolean;
}

export interface WorkerOptions {
  leaseSeconds: number;
  workMs: number;
  /** Progress + log calls per job (each a pair of requests). */
  progressCalls: number;
  crashOn?: string;
}

export interface WorkerSlot {
  slot: number;
  id: string;
  journal: string;
  process: ChildProcess;
  /** Set by the runner before it kills the worker on purpose. */
  killedOnPurpose?: boolean;
}

/**
 * One isolated system under test in a temporary directory: the embedded database in data-dir
 * mode on a fixed port (so it can be killed and started again on the same address and files),
 * the production app against it, and worker processes. `close()` kills every child.
 */
export class Environment {
  readonly dir: string;
  readonly dataDir: string;
  readonly journalDir: string;
  mongo!: EmbeddedMongo;
  mongoPort!: number;
  live!: LiveServer;
  writeToken!: string;
  private workerTokens: string[] = [];
  readonly workers: WorkerSlot[] = [];
  private spawned = 0;

  private constructor(private readonly options: EnvironmentOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'em-reliability-'));
    this.dataDir = join(this.dir, 'data');
    this.journalDir = join(this.dir, 'journals');
    mkdirSync(this.journalDir, { recursive: true });
    // Interrupted (Ctrl-C, deadline of a caller): children die by their own exit handlers,
    // the temporary files go here.
    process.once('exit', this.removeFiles);
  }

  private readonly removeFiles = (): void => {
    for (const worker of this.runningWorkers()) worker.process.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  };

  static async start(options: EnvironmentOptions): Promise<Environment> {
    const env = new Environment(options);
    try {
      env.mongoPort = await freePort();
      env.mongo = await startEmbeddedMongo({ ...(options.inMemory ? {} : { dataDir: env.dataDir }), port: env.mongoPort });
      env.live = await startLiveServer({
        uri: env.mongo.uri,
        dbName: 'reliability',
        verbose: options.verbose,
        env: { MAINTENANCE_INTERVAL_SECONDS: String(options.maintenanceSeconds), LOG_LEVEL: options.verbose ? 'info' : 'error' },
      });
      env.writeToken = await env.live.createToken(['read', 'write'], 'operator');
    } catch (error) {
      await env.close();
      throw error;
    }
    return env;
  }

  get uri(): string {
    return this.mongo.uri;
  }

  /** Seeds `batches` batches through the REST API; returns their ids and job ids. */
  async seed(batches: { name: string; jobs: { job_name: string; max_attempts?: number }[] }[]): Promise<{ batchId: string; jobIds: string[] }[]> {
    const created = [];
    for (const batch of batches) {
      const response = await fetch(`${this.live.url}/api/event-job/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.writeToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch_name: batch.name,
          jobs: batch.jobs.map((job) => ({ job_type: 'reliability', parameters: {}, ...job })),
        }),
      });
      const body = (await response.json()) as { data: { batch: { batch_id: string }; job_ids: string[] } };
      if (response.status !== 201) throw new Error(`seeding ${batch.name} answered ${response.status}: ${JSON.stringify(body)}`);
      created.push({ batchId: body.data.batch.batch_id, jobIds: body.data.job_ids });
    }
    return created;
  }

  /** Starts worker processes 0..count-1, each with its own token (per-token rate limits). */
  async startWorkers(count: number, options: WorkerOptions): Promise<void> {
    while (this.workerTokens.length < count) this.workerTokens.push(await this.live.createToken(['worker']));
    for (let slot = 0; slot < count; slot++) this.spawnWorker(slot, options);
  }

  /** A new worker process in `slot` (a fresh worker id and journal). */
  spawnWorker(slot: number, options: WorkerOptions): WorkerSlot {
    const id = `w${slot}-${++this.spawned}`;
    const journal = join(this.journalDir, `${id}.jsonl`);
    const args = [
      '--import',
      'tsx',
      WORKER_SCRIPT,
      '--url',
      this.live.url,
      '--token',
      this.workerTokens[slot] ?? '',
      '--id',
      id,
      '--journal',
      journal,
      '--lease-seconds',
      String(options.leaseSeconds),
      '--work-ms',
      String(options.workMs),
      '--progress-calls',
      String(options.progressCalls),
    ];
    if (options.crashOn) args.push('--crash-on', options.crashOn);
    const child = spawn(process.execPath, args, { cwd: findWorkspaceRoot(), stdio: ['ignore', 'ignore', this.options.verbose ? 'inherit' : 'ignore'] });
    const worker: WorkerSlot = { slot, id, journal, process: child };
    this.workers.push(worker);
    return worker;
  }

  runningWorkers(): WorkerSlot[] {
    return this.workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null);
  }

  /** SIGTERM to every worker, SIGKILL to those still there after 3 s. */
  async stopWorkers(): Promise<void> {
    const running = this.runningWorkers();
    const exits = running.map((w) => new Promise((resolve) => w.process.once('exit', resolve)));
    for (const worker of running) worker.process.kill('SIGTERM');
    await Promise.race([Promise.all(exits), sleep(3_000)]);
    for (const worker of this.runningWorkers()) worker.process.kill('SIGKILL');
    await Promise.race([Promise.all(exits), sleep(3_000)]);
  }

  /** Stops the database: SIGTERM (clean, flushed) or SIGKILL (a crash). Resolves when it is gone. */
  async stopDatabase(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    if (signal === 'SIGKILL') {
      // Already gone (e.g. a restart that never became ready): nothing to kill.
      if (isAlive(this.mongo.pid)) process.kill(this.mongo.pid, 'SIGKILL');
      while (isAlive(this.mongo.pid)) await sleep(10);
    }
    await this.mongo.stop();
  }

  /** Starts the database again on the same port and data directory; returns how long it took. */
  async startDatabase(): Promise<number> {
    if (this.options.inMemory) throw new Error('an in-memory database cannot be restarted with its data');
    const started = Date.now();
    // A large data file may take longer to open than the default 30 s: measured, not cut short.
    this.mongo = await startEmbeddedMongo({ dataDir: this.dataDir, port: this.mongoPort, readyTimeoutMs: 300_000 });
    return Date.now() - started;
  }

  async close(options: { keepFiles?: boolean } = {}): Promise<void> {
    for (const worker of this.runningWorkers()) worker.process.kill('SIGKILL');
    await this.live?.stop().catch(() => undefined);
    await this.mongo?.stop().catch(() => undefined);
    process.off('exit', this.removeFiles);
    if (!options.keepFiles) rmSync(this.dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
