import { z } from 'zod';

/** The time windows of the metrics page. */
export const METRICS_RANGES = ['1h', '24h', '7d'] as const;
export const MetricsRange = z.enum(METRICS_RANGES);
export type MetricsRange = z.infer<typeof MetricsRange>;

/** Every time-windowed metric: the window ends now and reaches back `range`. */
export const MetricsRangeInput = z.strictObject({ range: MetricsRange.default('24h') });
export type MetricsRangeInput = z.infer<typeof MetricsRangeInput>;

export const BatchProgressInput = z.strictObject({ limit: z.number().int().min(1).max(50).default(10) });
export type BatchProgressInput = z.infer<typeof BatchProgressInput>;
