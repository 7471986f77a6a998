import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// server.mjs on SIGTERM, as a rolling restart behind a load balancer needs it (docs/deployment.md).
describe('SIGTERM: a graceful drain', () => {
  let server: LiveServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('says "draining" to the health check at once, keeps answering for the delay, ends event streams and exits well before the 10 s cap', async () => {
    server = await startLiveServer({ env: { SHUTDOWN_DELAY_SECONDS: '2' } });
    const token = await server.createToken(['read']);
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const stream = await fetch(`${server.url}/api/trpc/live.changes?input=${input}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body?.getReader();
    if (!reader) throw new Error('no stream body');
    const streamEnded = (async () => {
      try {
        while (!(await reader.read()).done);
      } catch {
        // cut: ended too
      }
      return Date.now();
    })();

    const pid = server.pid;
    const signalledAt = Date.now();
    process.kill(pid, 'SIGTERM');
    await sleep(300);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'draining' });
    // Within the delay it still answers requests (the balancer has not taken it out yet) ...
    const during = await fetch(`${server.url}/api/event-job/openapi.json`);
    expect(during.status).toBe(200);
    // ... and tells the client not to reuse the connection.
    expect(during.headers.get('connection')).toBe('close');
    await during.body?.cancel();

    while (alive(pid) && Date.now() - signalledAt < 15_000) await sleep(50);
    const exitedAfter = Date.now() - signalledAt;
    expect(alive(pid)).toBe(false);
    // The delay (2 s) and the close, not the 10 s cap an open event stream used to hold it for.
    expect(exitedAfter).toBeGreaterThanOrEqual(2_000);
    expect(exitedAfter).toBeLessThan(8_000);
    expect((await streamEnded) - signalledAt).toBeLessThan(8_000);
  }, 120_000);
});
