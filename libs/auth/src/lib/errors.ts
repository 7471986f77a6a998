/** A caller sent too many requests (sign-in attempts, or uses of one token); doors answer 429. */
export class RateLimitedError extends Error {
  constructor(message = 'Too many requests; try again later') {
    super(message);
    this.name = 'RateLimitedError';
  }
}
