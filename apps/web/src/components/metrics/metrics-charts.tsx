'use client';

// The recharts pieces of the metrics page; loaded with next/dynamic so no other page ships them.
import { Bar, BarChart, CartesianGrid, LabelList, Line, LineChart, XAxis, YAxis } from 'recharts';
import {
  ChartContainer,
  ChartLegend,
  ChartLegendContent,
  ChartTooltip,
  ChartTooltipContent,
  type ChartConfig,
} from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { bucketLabelFormatter, tickFormatter, type MetricsRange } from './format';

const CHART_CLASS = 'aspect-auto h-56 w-full sm:h-64';

interface TimeChartProps<Row> {
  range: MetricsRange;
  data: Row[];
}

function useTimeAxis(range: MetricsRange) {
  const { locale } = useI18n();
  const label = bucketLabelFormatter(locale);
  return {
    tick: tickFormatter(range, locale),
    tooltipLabel: (_: unknown, payload: readonly { payload?: { start?: number } }[]) => {
      const start = payload[0]?.payload?.start;
      return typeof start === 'number' ? label(start) : '';
    },
  };
}

export function ThroughputChart({ range, data }: TimeChartProps<{ start: number; completed: number; failed: number }>) {
  const { t } = useI18n();
  const axis = useTimeAxis(range);
  const config = {
    completed: { label: t.metrics.throughput.completed, color: 'var(--success)' },
    failed: { label: t.metrics.throughput.failed, color: 'var(--destructive)' },
  } satisfies ChartConfig;
  return (
    <ChartContainer config={config} className={CHART_CLASS} data-testid="throughput-chart">
      {/* 97 or 169 buckets on a phone leave ~2 px a bar: no gaps then, so a lone bar still shows. */}
      <BarChart data={data} margin={{ left: 0, right: 4, top: 8 }} barCategoryGap={data.length > 80 ? 0 : 1}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="start" tickFormatter={axis.tick} tickLine={false} axisLine={false} minTickGap={28} tickMargin={6} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={36} />
        <ChartTooltip content={<ChartTooltipContent labelFormatter={axis.tooltipLabel} />} />
        <ChartLegend content={<ChartLegendContent />} />
        <Bar dataKey="completed" stackId="finished" fill="var(--color-completed)" isAnimationActive={false} />
        <Bar dataKey="failed" stackId="finished" fill="var(--color-failed)" radius={[2, 2, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartContainer>
  );
}

export function QueueDepthChart({
  range,
  data,
}: TimeChartProps<{ start: number; pending: number | null; processing: number | null }>) {
  const { t } = useI18n();
  const axis = useTimeAxis(range);
  // A reading between gaps is a line of one point, which draws nothing: show dots while readings are few.
  const readings = data.filter((point) => point.pending !== null).length;
  const dot = readings <= 30 ? { r: 2.5, strokeWidth: 0, fillOpacity: 1 } : false;
  const config = {
    pending: { label: t.metrics.queue.pending, color: 'var(--warning)' },
    processing: { label: t.metrics.queue.processing, color: 'var(--info)' },
  } satisfies ChartConfig;
  return (
    <ChartContainer config={config} className={CHART_CLASS} data-testid="queue-chart">
      <LineChart data={data} margin={{ left: 0, right: 4, top: 8 }}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="start" tickFormatter={axis.tick} tickLine={false} axisLine={false} minTickGap={28} tickMargin={6} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={36} />
        <ChartTooltip content={<ChartTooltipContent labelFormatter={axis.tooltipLabel} />} />
        <ChartLegend content={<ChartLegendContent />} />
        {(['pending', 'processing'] as const).map((key) => (
          <Line
            key={key}
            dataKey={key}
            type="monotone"
            stroke={`var(--color-${key})`}
            strokeWidth={2}
            dot={dot ? { ...dot, fill: `var(--color-${key})` } : false}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartContainer>
  );
}

const ROW_HEIGHT = 36;
const MAX_CODE_CHARS = 22;

const shortCode = (code: string) => (code.length > MAX_CODE_CHARS ? `${code.slice(0, MAX_CODE_CHARS - 1)}…` : code);

export function FailuresChart({ data }: { data: { code: string; count: number }[] }) {
  const { t } = useI18n();
  const config = { count: { label: t.metrics.failures.count, color: 'var(--destructive)' } } satisfies ChartConfig;
  // Codes are mostly upper case: up to 8.5 px a character at 12 px (DejaVu Sans), so the longest one fits.
  const longest = Math.max(...data.map((row) => shortCode(row.code).length), 4);
  const labelWidth = Math.min(190, Math.ceil(longest * 8.5) + 12);
  return (
    <ChartContainer
      config={config}
      className="aspect-auto w-full"
      style={{ height: data.length * ROW_HEIGHT + 16 }}
      data-testid="failures-chart"
    >
      <BarChart data={data} layout="vertical" margin={{ left: 0, right: 36, top: 4, bottom: 4 }}>
        <XAxis type="number" dataKey="count" hide allowDecimals={false} />
        <YAxis
          type="category"
          dataKey="code"
          tickLine={false}
          axisLine={false}
          width={labelWidth}
          tickFormatter={shortCode}
        />
        <ChartTooltip cursor={false} content={<ChartTooltipContent hideIndicator />} />
        <Bar dataKey="count" fill="var(--color-count)" radius={4} barSize={20} isAnimationActive={false}>
          <LabelList dataKey="count" position="right" className="fill-foreground" fontSize={12} />
        </Bar>
      </BarChart>
    </ChartContainer>
  );
}
