import { render, screen } from '@testing-library/react';
import { Bar, BarChart, XAxis } from 'recharts';
import {
  ChartContainer,
  ChartLegend,
  ChartLegendContent,
  ChartTooltip,
  ChartTooltipContent,
  type ChartConfig,
} from './chart';

const config = {
  completed: { label: 'Completed', color: 'var(--success)' },
  failed: { label: 'Failed', theme: { light: 'red', dark: 'salmon' } },
} satisfies ChartConfig;

const data = [
  { day: 'Mon', completed: 4, failed: 1 },
  { day: 'Tue', completed: 6, failed: 0 },
];

// recharts' ResponsiveContainer renders its chart only once a ResizeObserver reports a size.
class SizedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element): void {
    const entry = { target, contentRect: { width: 600, height: 300 } } as unknown as ResizeObserverEntry;
    this.callback([entry], this as unknown as ResizeObserver);
  }
  unobserve(): void {
    // no-op
  }
  disconnect(): void {
    // no-op
  }
}

describe('chart', () => {
  const originalResizeObserver = globalThis.ResizeObserver;
  beforeAll(() => {
    globalThis.ResizeObserver = SizedResizeObserver as unknown as typeof ResizeObserver;
  });
  afterAll(() => {
    globalThis.ResizeObserver = originalResizeObserver;
  });

  it('renders a recharts chart inside the container and emits colour variables per theme', () => {
    const { container } = render(
      <ChartContainer config={config} id="jobs" className="h-40">
        <BarChart data={data}>
          <XAxis dataKey="day" />
          <ChartTooltip content={<ChartTooltipContent indicator="line" />} />
          <ChartLegend content={<ChartLegendContent />} />
          <Bar dataKey="completed" fill="var(--color-completed)" />
          <Bar dataKey="failed" fill="var(--color-failed)" />
        </BarChart>
      </ChartContainer>,
    );

    const chart = container.querySelector('[data-slot="chart"]') as HTMLElement;
    expect(chart.getAttribute('data-chart')).toBe('chart-jobs');
    const css = container.querySelector('style')?.innerHTML ?? '';
    expect(css).toContain('--color-completed: var(--success);');
    expect(css).toContain('.dark [data-chart=chart-jobs]');
    expect(css).toContain('--color-failed: salmon;');
    // The chart itself rendered: two bar series and the x axis ticks.
    expect(container.querySelector('svg.recharts-surface')).not.toBeNull();
    expect(screen.getByText('Mon')).toBeTruthy();
  });

  it('formats tooltip items with the configured labels', () => {
    render(
      <ChartContainer config={config}>
        <ChartTooltipContent
          active
          label="Mon"
          payload={[
            { dataKey: 'completed', name: 'completed', value: 1200, color: 'green', graphicalItemId: 'a' },
            { dataKey: 'failed', name: 'failed', value: 0, color: 'red', graphicalItemId: 'b' },
          ]}
        />
      </ChartContainer>,
    );

    expect(screen.getByText('Mon')).toBeTruthy();
    expect(screen.getByText('Completed')).toBeTruthy();
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(screen.getByText((1200).toLocaleString())).toBeTruthy();
    // Zero is a value too.
    expect(screen.getByText('0')).toBeTruthy();
  });

  it('renders nothing for an inactive tooltip', () => {
    const { container } = render(
      <ChartContainer config={config}>
        <ChartTooltipContent active={false} payload={[]} />
      </ChartContainer>,
    );
    expect(container.querySelector('.shadow-xl')).toBeNull();
  });

  it('lists legend entries with config labels', () => {
    render(
      <ChartContainer config={config}>
        <ChartLegendContent
          payload={[
            { value: 'completed', dataKey: 'completed', color: 'green' },
            { value: 'failed', dataKey: 'failed', color: 'red' },
          ]}
        />
      </ChartContainer>,
    );
    expect(screen.getByText('Completed')).toBeTruthy();
    expect(screen.getByText('Failed')).toBeTruthy();
  });

  it('throws outside a ChartContainer', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => render(<ChartTooltipContent active payload={[]} />)).toThrow(/ChartContainer/);
    spy.mockRestore();
  });
});
