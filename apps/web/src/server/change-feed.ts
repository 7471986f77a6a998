import { createChangeFeed, type ChangeFeed, type ChangeListener, type DomainDeps } from '@event-monitor/domain';
import type { Logger } from './logger';

export interface ChangeFeedAccess {
  /**
   * The process's one change feed, for the tRPC context. It starts on the first subscription (after
   * the shared connection is up); until then, and while the database is unreachable, subscribers
   * get a feed that forwards to the real one as soon as it runs.
   */
  changeFeed(): ChangeFeed;
  /** The running feed, if a subscriber has started it (metrics read its lag). */
  running(): ChangeFeed | undefined;
  close(): Promise<void>;
}

export function createChangeFeedAccess(getDomain: () => Promise<DomainDeps>, logger: Logger): ChangeFeedAccess {
  let feed: ChangeFeed | undefined;
  let starting: Promise<ChangeFeed> | undefined;

  function startFeed(): Promise<ChangeFeed> {
    starting ??= getDomain()
      .then((domain) => {
        feed = createChangeFeed(domain, {
          onError: (err, context) => logger.warn({ err }, `${context} failed; retrying`),
        });
        return feed;
      })
      .finally(() => {
        starting = undefined;
      });
    return starting;
  }

  /** Subscriptions taken before the real feed exists attach to it once it has started. */
  const pendingFeed: ChangeFeed = {
    subscribe(listener: ChangeListener) {
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      const attach = (): void => {
        startFeed().then(
          (started) => {
            if (!cancelled) unsubscribe = started.subscribe(listener);
          },
          // Database down: try again later; the client shows the last state meanwhile.
          () => {
            if (!cancelled) setTimeout(attach, 5_000).unref();
          },
        );
      };
      if (feed) unsubscribe = feed.subscribe(listener);
      else attach();
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
    close: async () => undefined,
    stats: () => ({ mode: 'starting', lagMs: 0, lastEventAt: null }),
  };

  return {
    changeFeed() {
      if (feed) return feed;
      void startFeed().catch(() => undefined); // reported by the database module
      return pendingFeed;
    },
    running: () => feed,
    async close() {
      await feed?.close();
      feed = undefined;
    },
  };
}
