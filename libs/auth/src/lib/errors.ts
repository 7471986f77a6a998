/** A caller sent too many requests (sign-in attempts, or uses of one token); doors answer 429. */
export class RateLimitedError extends Error {
  constructor(message = 'Too many requests; try again later') {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** An unsafe request with the user's cookie came from another origin (CSRF); doors answer 403. */
export class CrossSiteRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrossSiteRequestError';
  }
}
