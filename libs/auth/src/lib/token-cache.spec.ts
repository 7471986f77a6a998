import type { Principal } from './principal';
import { TOKEN_RATE_LIMIT, TokenCache } from './token-cache';

const principal = (userId: string, tokenId: string): Principal => ({
  actor: { userId, role: 'operator' },
  via: 'token',
  scopes: ['worker'],
  tokenId,
});

describe('TokenCache', () => {
  it('reuses a principal until the TTL or the key expiry, whichever comes first', () => {
    const cache = new TokenCache();
    cache.set('em_a', principal('u1', 'k1'), 5_000, null, 1_000);
    cache.set('em_b', principal('u1', 'k2'), 5_000, new Date(2_000), 1_000);
    expect(cache.get('em_a', 5_999)?.tokenId).toBe('k1');
    expect(cache.get('em_a', 6_000)).toBeUndefined();
    expect(cache.get('em_b', 1_999)?.tokenId).toBe('k2');
    expect(cache.get('em_b', 2_000)).toBeUndefined();
    expect(cache.get('em_unknown', 1_000)).toBeUndefined();
  });

  it("drops a user's entries and single tokens on request", () => {
    const cache = new TokenCache();
    cache.set('em_a', principal('u1', 'k1'), 5_000, null, 0);
    cache.set('em_b', principal('u2', 'k2'), 5_000, null, 0);
    cache.set('em_c', principal('u2', 'k3'), 5_000, null, 0);
    cache.forgetUser('u2');
    cache.forget('em_a');
    expect([cache.get('em_a', 1), cache.get('em_b', 1), cache.get('em_c', 1)]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses requests over the per-token limit until the window has passed', () => {
    const cache = new TokenCache();
    for (let i = 0; i < TOKEN_RATE_LIMIT.maxRequests; i++) expect(cache.allow('k1', 10)).toBe(true);
    expect(cache.allow('k1', 10 + TOKEN_RATE_LIMIT.windowMs - 1)).toBe(false);
    expect(cache.allow('k2', 10)).toBe(true);
    expect(cache.allow('k1', 10 + TOKEN_RATE_LIMIT.windowMs)).toBe(true);
    // A key's own limit (read with the key on every reused request) wins over the default.
    const own = { windowMs: 1_000, maxRequests: 2 };
    expect([1, 2, 3].map(() => cache.allow('k3', 50, own))).toEqual([true, true, false]);
    expect(cache.allow('k3', 1_050, own)).toBe(true);
  });
});
