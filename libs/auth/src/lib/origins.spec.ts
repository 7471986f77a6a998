import { readAuthEnv } from './env';
import { appOrigins, crossSiteRefusal } from './origins';

describe('the app origins', () => {
  it('trusts APP_URL, the loopback names of the app port and TRUSTED_ORIGINS, nothing else', () => {
    expect(appOrigins({ appUrl: undefined, port: 3000 })).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
    ]);
    expect(
      appOrigins({ appUrl: 'https://monitor.example.org', port: 3000, extra: ['http://10.0.0.5:3000'] }),
    ).toEqual([
      'https://monitor.example.org',
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
      'http://10.0.0.5:3000',
    ]);
  });

  it('reads TRUSTED_ORIGINS as comma-separated origins and refuses a path or another scheme', () => {
    expect(readAuthEnv({ TRUSTED_ORIGINS: ' http://Build-Box:3000 , https://10.0.0.5/ ,' }).TRUSTED_ORIGINS).toEqual([
      'http://build-box:3000',
      'https://10.0.0.5',
    ]);
    expect(readAuthEnv({}).TRUSTED_ORIGINS).toEqual([]);
    expect(() => readAuthEnv({ TRUSTED_ORIGINS: 'http://host:3000/app' })).toThrow(/TRUSTED_ORIGINS: each entry must be an origin/);
    expect(() => readAuthEnv({ TRUSTED_ORIGINS: 'ftp://host' })).toThrow(/TRUSTED_ORIGINS/);
    expect(() => readAuthEnv({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});

describe('the cross-site check of unsafe cookie requests', () => {
  const trusted = new Set(appOrigins({ appUrl: 'http://localhost:3000', port: 3000 }));
  const check = (method: string, headers: Record<string, string>) => crossSiteRefusal(method, new Headers(headers), trusted);

  it('refuses another port of the same host, another site, and the opaque origin "null"', () => {
    expect(check('POST', { origin: 'http://localhost:4000' })).toMatch(/origin "http:\/\/localhost:4000" is not this app's/);
    expect(check('DELETE', { origin: 'https://evil.example' })).toMatch(/Cross-site request refused/);
    expect(check('PATCH', { origin: 'null' })).toMatch(/Cross-site request refused/);
    expect(check('PUT', { 'sec-fetch-site': 'same-site' })).toMatch(/Sec-Fetch-Site is "same-site"/);
    expect(check('POST', { 'sec-fetch-site': 'cross-site' })).toMatch(/Sec-Fetch-Site/);
  });

  it("lets the app's own origins, safe methods and header-less clients through", () => {
    expect(check('POST', { origin: 'http://localhost:3000' })).toBeNull();
    expect(check('POST', { origin: 'http://127.0.0.1:3000' })).toBeNull();
    expect(check('POST', { origin: 'http://[::1]:3000' })).toBeNull();
    expect(check('POST', { 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(check('POST', {})).toBeNull();
    expect(check('GET', { origin: 'https://evil.example' })).toBeNull();
  });
});
