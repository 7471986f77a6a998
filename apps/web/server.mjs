// The server of every mode (`npm start`, `npm run dev`, the test and benchmark servers): the host
// (src/server/host.ts: configuration, database, auth, domain, change feed, maintenance and the
// doors under /api) answers /api itself; Next.js renders the pages. Skipping Next.js's router for
// the API saves ~40 % of a worker call (docs/performance.md); why the host is imported here and
// reaches the pages through the process: docs/decisions.md, "One host object".
//
//   node server.mjs [-p <port>] [-H <hostname>] [--dev]   (like `next start` / `next dev`: PORT or 3000, every interface)
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { getRequestListener, RequestError } from '@hono/node-server';
import next from 'next';
import { register as registerTypeScriptImports } from 'tsx/cjs/api';

// A full garbage collection once the heap has grown by half over what the last one kept, instead of
// V8's adaptive factor of up to 4x: under 32 workers the live heap stays near 70 MB, but the server
// grew to about 330 MB of mostly garbage before collecting (docs/performance.md, server memory).
// V8 reads the flag at each collection, so setting it at start takes effect (NODE_OPTIONS refuses
// it); a value on the command line wins.
const HEAP_GROWING = '--heap-growing-percent';
if (!process.execArgv.some((arg) => arg.startsWith(HEAP_GROWING))) setFlagsFromString(`${HEAP_GROWING}=50`);

const require = createRequire(import.meta.url);
const { apiHeaders } = require('./http-headers.js');
// The host is TypeScript over the libs (their package entries are .ts): tsx compiles it while it
// loads, then steps aside, so the code Next.js built is loaded by Node alone.
const unregisterTypeScriptImports = registerTypeScriptImports();
/** @type {typeof import('./src/server/host')} */
const { createHost } = require('./src/server/host.ts');
/** @type {typeof import('./src/server/page-host')} */
const { publishHost } = require('./src/server/page-host.ts');
unregisterTypeScriptImports();

const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p' },
    hostname: { type: 'string', short: 'H' },
    dev: { type: 'boolean', default: false },
  },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
// Not $HOSTNAME: shells and containers set it to the machine's name, not an address to listen on.
const hostname = values.hostname;
// A method a fetch Request cannot carry; Next.js answered it with a bare 500. (Node's parser
// refuses TRACK itself with 400, and CONNECT never becomes a request.)
const REFUSED_METHODS = new Set(['TRACE']);
// The sign-in limits key on the client's address, read from X-Forwarded-For. A client that reaches
// this server directly could write any address there, so the header is replaced with the socket's
// address unless a proxy in front sets it (TRUST_PROXY=true; libs/auth env.ts validates it).
const TRUST_PROXY = process.env.TRUST_PROXY === 'true';

// Before Next.js starts: its pages find the host from their first render on. A bad environment
// variable stops the start here, with its name (src/server/env.ts).
let host;
try {
  host = createHost();
} catch (error) {
  console.error(`[event-monitor] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
publishHost(host);
host.start();

const app = next({ dev: values.dev, dir: dirname(fileURLToPath(import.meta.url)), hostname, port });
const nextHandler = app.getRequestHandler();
await app.prepare();

/** The answer with what next.config.js headers() gives the path (these win over the route's own, as there). */
function withConfigHeaders(response, pathname) {
  let answer = response;
  for (const { key, value } of apiHeaders(pathname)) {
    try {
      answer.headers.set(key, value);
    } catch {
      // Immutable headers (a fetched Response): copy once, then set.
      answer = new Response(answer.body, answer);
      answer.headers.set(key, value);
    }
  }
  return answer;
}

/** What the router below found for a request: its door and its URL, parsed once. */
const routed = new WeakMap();

const apiListener = getRequestListener(
  async (request, { incoming }) => {
    const { door, url } = routed.get(incoming);
    const response = await host.answer(door, request, url);
    return withConfigHeaders(response, url.pathname);
  },
  {
    // Keep the platform's Request and Response: Next.js and our code share this process.
    overrideGlobalObjects: false,
    // The handlers answer their own errors; what arrives here failed before or after them. One
    // line, no stack: answers and logs never carry internals (tools/fuzz checks both).
    errorHandler: (error) => {
      if (error instanceof RequestError) {
        return Response.json(
          { status: 'error', code: 'BAD_REQUEST', message: 'Malformed request' },
          { status: 400 },
        );
      }
      console.error(`[event-monitor] unhandled error in an API request: ${error?.message ?? error}`);
      return Response.json({ status: 'error', message: 'Internal server error' }, { status: 500 });
    },
  },
);

function pathnameOf(url = '/') {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The request's URL (only its path and query are read; the origin is a placeholder), or undefined. */
function parseUrl(rawUrl = '/') {
  try {
    return new URL(`http://localhost${rawUrl}`);
  } catch {
    return undefined;
  }
}

// Build output, dev tooling, public files, the status page (it shows the outage) and API paths no
// door serves (404) are Next.js's without asking the database.
const RENDERED_DURING_OUTAGE = /^\/(?:_next\/|__|status$|api(?:\/|$))|\.\w+$/;

/** A page: Next.js renders it, unless the database is away (then the outage answer, 503). */
function renderPage(req, res, pathname) {
  if (RENDERED_DURING_OUTAGE.test(pathname)) return void nextHandler(req, res);
  void host.pageOutage(req.headers.accept).then(async (outage) => {
    if (!outage) return void nextHandler(req, res);
    for (const { key, value } of apiHeaders(pathname)) res.setHeader(key, value);
    res.writeHead(outage.status, Object.fromEntries(outage.headers));
    res.end(await outage.text());
  });
}

// Requests being answered, and which of them are event streams (the live feed): a stop waits for the
// former and ends the latter (browsers reconnect through the balancer and resume, see stop()).
const active = new Set();
const streams = new WeakSet();
let stopping = false;

const server = createServer((req, res) => {
  active.add(res);
  res.once('close', () => active.delete(res));
  if (req.headers.accept?.includes('text/event-stream')) streams.add(res);
  // Stopping: answer, then close the connection, so the client's next request goes elsewhere.
  if (stopping) res.shouldKeepAlive = false;
  const pathname = pathnameOf(req.url);
  if (REFUSED_METHODS.has(req.method ?? '')) {
    // On every path, pages included (Next.js answered them with a bare 500), before any handler.
    for (const { key, value } of apiHeaders(pathname)) res.setHeader(key, value);
    res.writeHead(405, { allow: 'GET, HEAD, POST, DELETE', 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: 'error',
        code: 'METHOD_NOT_ALLOWED',
        message: `Method ${req.method} not allowed`,
      }),
    );
    return;
  }
  if (!TRUST_PROXY) {
    const address = req.socket.remoteAddress ?? '';
    req.headers['x-forwarded-for'] = address;
    delete req.headers['x-real-ip'];
    // The doors' Request is built from rawHeaders (@hono/node-server), Next.js reads req.headers:
    // replace the client's own values in both.
    const raw = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i].toLowerCase();
      if (name !== 'x-forwarded-for' && name !== 'x-real-ip') raw.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    raw.push('X-Forwarded-For', address);
    req.rawHeaders = raw;
  }
  // Backslashes: Next.js redirects to the normalised path (308), as it always did.
  const url = pathname.includes('\\') ? undefined : parseUrl(req.url);
  const door = url && host.doorOf(url.pathname);
  if (!door) return renderPage(req, res, pathname);
  routed.set(req, { door, url });
  // For answers made here (the error handler); withConfigHeaders covers the rest.
  for (const { key, value } of apiHeaders(url.pathname)) res.setHeader(key, value);
  void apiListener(req, res);
});

server.listen(port, hostname, () => {
  console.log(`Ready on http://${hostname ?? 'localhost'}:${port}`);
});

// A rolling restart without failed calls (docs/deployment.md). On SIGTERM: /api/health answers 503
// "draining" and every answer closes its connection; after SHUTDOWN_DELAY_SECONDS (time for a
// balancer to notice) the listener closes, so new connections are refused and go to another
// process; requests in flight finish (10 s at most); event streams are ended last: the browser
// reconnects through the balancer and resumes with a resync from the database. Then the host stops
// (the maintenance lease is given up) and the process exits.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function stop() {
  if (stopping) return;
  stopping = true;
  host.beginDrain();
  for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
  const delayMs = host.env.SHUTDOWN_DELAY_SECONDS * 1000;
  setTimeout(() => process.exit(0), delayMs + 15_000).unref();
  server.closeIdleConnections();
  await sleep(delayMs);
  server.close();
  server.closeIdleConnections();
  const deadline = Date.now() + 10_000;
  while ([...active].some((res) => !streams.has(res)) && Date.now() < deadline) await sleep(20);
  server.closeAllConnections();
  await Promise.allSettled([app.close(), host.close()]);
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
