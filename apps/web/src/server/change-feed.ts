import { createChangeFeed, type ChangeFeed, type ChangeListener } from '@event-monitor/domain';
import { getDomain } from './domain';
import { logger } from './logger';

interface FeedState {
  feed?: ChangeFeed;
  starting?: Promise<ChangeFeed>;
}

// On globalThis so dev-mode module reloads keep one feed per process.
const state: FeedState = ((globalThis as { __eventMonitorChangeFeed?: FeedState }).__eventMonitorChangeFeed ??= {});

function startFeed(): Promise<ChangeFeed> {
  state.starting ??= getDomain()
    .then((domain) => {
      const feed = createChangeFeed(domain, {
        onError: (err, context) => logger.warn({ err }, `${context} failed; retrying`),
      });
      state.feed = feed;
      return feed;
    })
    .finally(() => {
      state.starting = undefined;
    });
  return state.starting;
}

/** The running feed, if a subscriber has started it (metrics read its lag). */
export function runningChangeFeed(): ChangeFeed | undefined {
  return state.feed;
}

/**
 * The process's one change feed, for the tRPC context. It starts on the first subscription (after
 * the shared connection is up); until then, and while the database is unreachable, subscribers
 * get a feed that forwards to the real one as soon as it runs.
 */
export function getChangeFeed(): ChangeFeed {
  if (state.feed) return state.feed;
  void startFeed().catch(() => undefined); // reported by the database module
  return pendingFeed;
}

/** Subscriptions taken before the real feed exists attach to it once it has started. */
const pendingFeed: ChangeFeed = {
  subscribe(listener: ChangeListener) {
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    const attach = (): void => {
      startFeed().then(
        (feed) => {
          if (!cancelled) unsubscribe = feed.subscribe(listener);
        },
        // Database down: try again later; the client shows the last state meanwhile.
        () => {
          if (!cancelled) setTimeout(attach, 5_000).unref();
        },
      );
    };
    if (state.feed) unsubscribe = state.feed.subscribe(listener);
    else attach();
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  },
  close: async () => undefined,
  stats: () => ({ mode: 'starting', lagMs: 0, lastEventAt: null }),
};

