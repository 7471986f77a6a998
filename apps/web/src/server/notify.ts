import { detectNotificationEvents, sendDueDeliveries, type DomainDeps, type NotifyOptions } from '@event-monitor/domain';
import { isDatabaseUnavailable } from '@event-monitor/db';
import { createTransport } from 'nodemailer';
import type { ServerEnv } from './env';
import type { Logger } from './logger';

/** How this server sends notifications, from its environment (e-mail only with SMTP_URL). */
export function notifyOptionsFromEnv(env: ServerEnv): Partial<NotifyOptions> {
  const options: Partial<NotifyOptions> = {
    retryBaseMs: env.NOTIFY_RETRY_BASE_MS,
    maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
    timeoutMs: env.NOTIFY_TIMEOUT_SECONDS * 1000,
    allowPrivateTargets: env.NOTIFY_ALLOW_PRIVATE_TARGETS,
  };
  if (env.SMTP_URL) {
    const transport = createTransport(env.SMTP_URL);
    options.sendEmail = async ({ to, subject, text }) => {
      await transport.sendMail({ from: env.SMTP_FROM, to, subject, text });
    };
  }
  return options;
}

export interface NotificationSender {
  stop(): Promise<void>;
}

/**
 * Sends due notification deliveries every NOTIFY_SEND_INTERVAL_MS in this process. Every process
 * may: a delivery is taken with a conditional update before it is sent, so each try happens once.
 * The process that holds the maintenance lease also looks for new events first (an idle look reads
 * no job), so a finished batch is told within seconds, not at the next 15 s sweep (which looks too).
 */
export function startNotificationSender(options: {
  intervalMs: number;
  getDomain: () => Promise<DomainDeps>;
  logger: Logger;
  /** Whether this process finds events (the maintenance lease holder). */
  detects?: () => boolean;
}): NotificationSender {
  if (options.intervalMs === 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = options
      .getDomain()
      .then(async (deps) => {
        if (options.detects?.()) await detectNotificationEvents(deps);
        await sendDueDeliveries(deps);
      })
      .then(() => undefined)
      .catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) options.logger.error({ err: error }, 'sending notifications failed');
      })
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
