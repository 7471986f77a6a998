import { z } from 'zod';

const ServerEnv = z.object({
  MONGODB_URI: z.string().trim().min(1).optional(),
  MONGODB_DB: z.string().trim().min(1).max(63).default('event_monitor'),
  /** Set by the start script so the status page can say where the data lives. */
  EVENT_MONITOR_DB_SOURCE: z.string().optional(),
  /** Signs session cookies; `npm start` creates one in .data/ when unset. Required in production. */
  BETTER_AUTH_SECRET: z.string().min(32, 'BETTER_AUTH_SECRET must be at least 32 characters').optional(),
  /** The public URL of the app (cookies, redirects); defaults to http://localhost:$PORT. */
  APP_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Trust X-User-ID from an authenticating proxy. Dangerous unless only the proxy can reach the app. */
  TRUST_PROXY_USER_HEADER: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Root folder of the result files served by /api/event-job/files/... */
  EVENT_FILES_DIR: z.string().trim().min(1).optional(),
  /** How often dead workers' jobs are put back and batch counters recounted; 0 turns it off. */
  MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  /** Jobs a legacy worker took (no lease) fail with PROCESSING_TIMEOUT after this long. */
  LEGACY_PROCESSING_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(43_200).default(120),
  /** When set, /api/metrics wants `Authorization: Bearer <METRICS_TOKEN>`; unset: an admin's read token. */
  METRICS_TOKEN: z.string().trim().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /**
   * On SIGTERM, how long the server keeps answering while /api/health says "draining", so a load
   * balancer stops sending before the listener closes (docs/deployment.md, rolling restart).
   */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * OpenTelemetry traces: when either is set, spans of every API request and domain call are sent
   * there over OTLP/HTTP (JSON; the base endpoint gets /v1/traces appended, the traces one is used
   * as is). Unset: no tracer is installed (docs/deployment.md, "Traces").
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(200).default('event-monitor'),
  /** The SDK's own off switch: `true` keeps tracing off even with an endpoint set. */
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Notifications (issue 20): the first retry of a failed delivery waits this long, each next four times longer. */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(50).max(3_600_000).default(10_000),
  /** Tries of one delivery before it is given up. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** A webhook receiver must answer within this. */
  NOTIFY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  /** How often each process sends the deliveries that are due; 0 turns sending off in this process. */
  NOTIFY_SEND_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Let every user's webhooks target loopback and private networks (else only admins' may). */
  NOTIFY_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** smtp://user:pass@host:587 or smtps://...: turns the e-mail channel on. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }).optional(),
  /** The From of notification e-mails. */
  SMTP_FROM: z.string().trim().min(3).max(200).default('Event Monitor <event-monitor@localhost>'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

let cached: ServerEnv | undefined;

/** An environment's values for the app (tests pass their own). A bad value fails with the variable's name. */
export function readServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const parsed = ServerEnv.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment: ${fields.join('; ')}`);
  }
  return parsed.data;
}

/** The app's environment, read once. */
export function serverEnv(): ServerEnv {
  cached ??= readServerEnv(process.env);
  return cached;
}
