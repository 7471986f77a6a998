import type { Principal } from './principal';
import { TokenCache } from './token-cache';

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
});
