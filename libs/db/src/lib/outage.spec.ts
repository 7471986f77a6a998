import { runInNewContext } from 'node:vm';
import { isDatabaseUnavailable } from './outage';

function named(name: string, message = 'x', extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('isDatabaseUnavailable', () => {
  it('recognises the driver errors of a server that is down or unreachable', () => {
    for (const name of ['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoPoolClearedError', 'DatabaseUnavailableError']) {
      expect(isDatabaseUnavailable(named(name))).toBe(true);
    }
  });

  it('recognises a node shutting down or stepping down, but not other server errors', () => {
    expect(isDatabaseUnavailable(named('MongoServerError', 'shutting down', { code: 91 }))).toBe(true);
    expect(isDatabaseUnavailable(named('MongoServerError', 'not primary', { code: 10107 }))).toBe(true);
    expect(isDatabaseUnavailable(named('MongoServerError', 'duplicate key', { code: 11000 }))).toBe(false);
  });

  it('recognises a write to a socket the killed server closed (a plain Error with code EPIPE)', () => {
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isDatabaseUnavailable(epipe)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
  });

  it('recognises a socket error made in another realm (Node core under Jest, a worker thread)', () => {
    const foreign = runInNewContext("Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' })");
    expect(foreign instanceof Error).toBe(false);
    expect(isDatabaseUnavailable(foreign)).toBe(true);
    expect(isDatabaseUnavailable(runInNewContext("Object.assign(new Error('x'), { name: 'MongoNetworkError' })"))).toBe(true);
  });

  it('finds an outage wrapped as the cause of another error', () => {
    const wrapped = new Error('adapter failed', { cause: new Error('query failed', { cause: named('MongoNetworkError') }) });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it('leaves bugs and non-errors alone', () => {
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isDatabaseUnavailable('MongoNetworkError')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
