/**
 * Keeps the embedded database running for `npm start`: when the Java process dies without being
 * asked to (OOM killer, a crash, a stray `kill`), it is started again on the same port and data
 * directory, so the app's Mongoose connection (heartbeat every second) finds it again by itself.
 *
 * It never loops forever and never starts an empty database in place of the data: a restart
 * that fails (the launcher's exit 3, a data store it cannot open, or exit 2, e.g. a port in use) is retried with back-off a
 * few times, then the supervisor gives up and says why; so does a server that keeps dying soon
 * after each start. The data directory is passed as it is on every start: a file that cannot be
 * opened is never moved or replaced here.
 */
import {
  startEmbeddedMongo,
  EmbeddedMongoStartError,
  type EmbeddedMongo,
  type EmbeddedMongoOptions,
} from './embedded-mongo';

export interface SupervisedMongoOptions extends EmbeddedMongoOptions {
  /** Waits before restart attempts 1, 2, ...; the number of entries is the number of attempts. */
  restartDelaysMs?: readonly number[];
  /** Give up when the server died this often within `crashWindowMs` (a crash loop). */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** One line per event (died, restarted, giving up). */
  log?: (line: string) => void;
  /** Called once when the supervisor stops trying; the server is down from then on. */
  onGiveUp?: (error: Error) => void;
  /** Called after each successful restart. */
  onRestart?: (event: RestartEvent) => void;
  /** Seam for tests; the real start by default. */
  start?: (opts: EmbeddedMongoOptions) => Promise<EmbeddedMongo>;
}

export interface RestartEvent {
  /** How the process ended: exit code or signal. */
  exit: string;
  /** From the death being noticed to the restarted server answering a ping. */
  downMs: number;
  attempts: number;
}

export interface SupervisedMongo {
  uri: string;
  port: number;
  dataDir?: string;
  /** The current Java process (changes on each restart). */
  readonly pid: number;
  /** Successful restarts so far. */
  readonly restarts: number;
  /** Resolves when the supervisor gave up (with the reason); never resolves otherwise. */
  readonly gaveUp: Promise<Error>;
  /** Stops supervising and stops the server. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_RESTART_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000] as const;
const DEFAULT_MAX_CRASHES = 5;
const DEFAULT_CRASH_WINDOW_MS = 60_000;

export async function superviseEmbeddedMongo(options: SupervisedMongoOptions = {}): Promise<SupervisedMongo> {
  const start = options.start ?? startEmbeddedMongo;
  const log = options.log ?? ((line: string) => console.error(`[embedded-mongo] ${line}`));
  const delays = options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
  const maxCrashes = options.maxCrashes ?? DEFAULT_MAX_CRASHES;
  const crashWindowMs = options.crashWindowMs ?? DEFAULT_CRASH_WINDOW_MS;
  const baseOptions: EmbeddedMongoOptions = {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.host ? { host: options.host } : {}),
  };

  // The first start fails like an unsupervised one: the caller reports it and stops.
  let current = await start({ ...baseOptions, ...(options.port ? { port: options.port } : {}) });
  const port = current.port;
  let stopping = false;
  let restarts = 0;
  const crashes: number[] = [];
  let giveUp!: (error: Error) => void;
  const gaveUp = new Promise<Error>((resolve) => {
    giveUp = (error) => {
      stopping = true;
      log(error.message);
      options.onGiveUp?.(error);
      resolve(error);
    };
  });

  const watch = (server: EmbeddedMongo): void => {
    void server.exited.then(async ({ code, signal }) => {
      if (stopping || server !== current) return;
      const exit = signal ? `signal ${signal}` : `code ${code}`;
      const diedAt = Date.now();
      crashes.push(diedAt);
      while (crashes.length && (crashes[0] as number) < diedAt - crashWindowMs) crashes.shift();
      if (crashes.length > maxCrashes) {
        giveUp(
          new Error(
            `the embedded database died ${crashes.length} times within ${crashWindowMs / 1000} s (last: ${exit}); ` +
              `not restarting it again. See its messages above.`,
          ),
        );
        return;
      }
      log(`the embedded database exited unexpectedly (${exit}); restarting it on port ${port}`);
      let lastError: unknown;
      for (let attempt = 1; attempt <= delays.length; attempt++) {
        await sleep(delays[attempt - 1] as number);
        if (stopping) return;
        try {
          const next = await start({ ...baseOptions, port });
          if (stopping) {
            await next.stop();
            return;
          }
          current = next;
          restarts++;
          const event = { exit, downMs: Date.now() - diedAt, attempts: attempt };
          log(`the embedded database is back on port ${port} after ${event.downMs} ms (attempt ${attempt})`);
          options.onRestart?.(event);
          watch(next);
          return;
        } catch (error) {
          lastError = error;
          const reason = error instanceof EmbeddedMongoStartError && error.reason ? error.reason : errorText(error);
          log(`restart attempt ${attempt} of ${delays.length} failed: ${reason}`);
        }
      }
      const reason =
        lastError instanceof EmbeddedMongoStartError && lastError.reason ? lastError.reason : errorText(lastError);
      const failure = new Error(
        `the embedded database could not be restarted after ${delays.length} attempts: ${reason}`,
        { cause: lastError },
      );
      giveUp(failure);
    });
  };
  watch(current);

  let stopped: Promise<void> | undefined;
  return {
    uri: current.uri,
    port,
    dataDir: current.dataDir,
    get pid() {
      return current.pid;
    },
    get restarts() {
      return restarts;
    },
    gaveUp,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        await current.stop();
      })();
      return stopped;
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
