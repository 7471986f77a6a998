import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small load balancer for the cluster suites (reliability, bench): round robin over app
 * processes on 127.0.0.1, what a reverse proxy in front of several app servers does.
 *
 * - Readiness: every backend's /api/health is asked every `healthEveryMs`; only those answering 200
 *   get new requests (a process that got SIGTERM answers 503 "draining" and is taken out).
 * - A request whose connection to a backend could not be made (refused: nothing was sent) goes to
 *   the next backend; that is always safe, even for a POST.
 * - A backend connection lost after the request was sent (a process killed mid-request) is answered
 *   502 and recorded with its backend: the request may or may not have been applied, so it is not
 *   sent again (the client decides).
 * - One upstream connection per request (no keep-alive to backends): a connection kept open to a
 *   stopping process could carry a request at the moment it closes.
 * - `X-Forwarded-For` is set to the client's address (the apps run with TRUST_PROXY=true);
 *   `X-Backend` on every answer names the backend (its index) that answered.
 */
export interface ProxyStats {
  /** Requests answered by each backend. */
  answered: number[];
  /** Answers with status >= 500 that the backend itself sent. */
  backend5xx: number[];
  /** Requests lost with their backend's connection after they were sent (answered 502 here). */
  lost: { backend: number; at: number; code: string; method: string; path: string }[];
  /**
   * Requests whose client gave up before the backend answered (a worker's timeout): which backend,
   * when they were sent and how long they waited. Event streams closed by their reader are not here.
   */
  abandoned: { backend: number; sentAt: number; ms: number; connected: boolean; method: string; path: string }[];
  /** Requests sent to another backend because the connection to one was refused. */
  retried: number;
  /** Requests no backend could take (answered 502). */
  noBackend: number;
}

export interface RoundRobinProxy {
  url: string;
  stats: ProxyStats;
  /** Which backends get new requests right now (readiness). */
  ready(): boolean[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  healthEveryMs?: number;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

export async function startRoundRobinProxy(backends: string[], options: ProxyOptions = {}): Promise<RoundRobinProxy> {
  const targets = backends.map((url) => new URL(url));
  const up = targets.map(() => true);
  const stats: ProxyStats = {
    answered: targets.map(() => 0),
    backend5xx: targets.map(() => 0),
    lost: [],
    abandoned: [],
    retried: 0,
    noBackend: 0,
  };
  let next = 0;

  /** The next ready backend not tried yet for this request; one not ready when none is. */
  function pick(tried: Set<number>): number | undefined {
    for (const wantReady of [true, false]) {
      for (let k = 0; k < targets.length; k++) {
        const index = (next + k) % targets.length;
        if (tried.has(index) || up[index] !== wantReady) continue;
        next = index + 1;
        return index;
      }
    }
    return undefined;
  }

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<number>): void {
    const index = pick(tried);
    if (index === undefined) {
      stats.noBackend++;
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', message: 'No app process answers' }));
      return;
    }
    tried.add(index);
    const target = targets[index] as URL;
    let connected = false;
    let answered = false;
    let clientGone = false;
    const sentAt = Date.now();
    const upstream = httpRequest({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      agent: false,
      headers: { ...withoutHopByHop(req.headers), 'x-forwarded-for': req.socket.remoteAddress ?? '' },
    });
    upstream.once('socket', (socket) => socket.once('connect', () => (connected = true)));
    upstream.once('response', (answer) => {
      answered = true;
      stats.answered[index] = (stats.answered[index] ?? 0) + 1;
      if ((answer.statusCode ?? 0) >= 500) stats.backend5xx[index] = (stats.backend5xx[index] ?? 0) + 1;
      res.writeHead(answer.statusCode ?? 502, { ...withoutHopByHop(answer.headers), 'x-backend': String(index) });
      answer.pipe(res);
      // The backend closed the connection before the end of the answer (a stopped process ending
      // an event stream): close the client's too, so it reconnects.
      answer.once('error', () => res.destroy());
      answer.once('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (clientGone) return;
      if (!connected) {
        // Nothing reached the backend: safe to send elsewhere.
        up[index] = false;
        stats.retried++;
        forward(req, res, body, tried);
        return;
      }
      stats.lost.push({ backend: index, at: Date.now(), code: error.code ?? error.message, method: req.method ?? '', path: req.url ?? '' });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'application/json', 'x-backend': String(index) });
      res.end(JSON.stringify({ status: 'error', message: 'The app process went away during the request' }));
    });
    // The client gave up (an event stream closed): close the backend's side too.
    res.once('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      if (!answered) {
        stats.abandoned.push({ backend: index, sentAt, ms: Date.now() - sentAt, connected, method: req.method ?? '', path: req.url ?? '' });
      }
      upstream.destroy();
    });
    upstream.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => forward(req, res, Buffer.concat(chunks), new Set()));
  });

  const healthEveryMs = options.healthEveryMs ?? 200;
  let checking = false;
  const health = setInterval(() => {
    if (checking) return;
    checking = true;
    void Promise.all(
      targets.map(async (target, index) => {
        try {
          const answer = await fetch(new URL('/api/health', target), { signal: AbortSignal.timeout(1_000) });
          up[index] = answer.status === 200;
          await answer.body?.cancel();
        } catch {
          up[index] = false;
        }
      }),
    ).finally(() => (checking = false));
  }, healthEveryMs);
  health.unref();

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    ready: () => [...up],
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(health);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
