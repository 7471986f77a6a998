import { render, screen } from '@testing-library/react';
import { SegmentedProgress, segmentedProgressPercent } from './segmented-progress';

function segmentWidths(container: HTMLElement): Record<string, string> {
  const result: Record<string, string> = {};
  container.querySelectorAll<HTMLElement>('[data-segment]').forEach((el) => {
    result[el.dataset['segment'] as string] = el.style.width;
  });
  return result;
}

describe('SegmentedProgress', () => {
  it('splits the bar proportionally and reports the finished percentage', () => {
    const { container } = render(<SegmentedProgress completed={5} failed={3} processing={2} pending={0} />);

    const bar = screen.getByRole('progressbar', { name: 'Progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('80');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('80% done');
    // Zero-count segments are not rendered at all.
    expect(segmentWidths(container)).toEqual({ completed: '50%', failed: '30%', processing: '20%' });
    // Segment order: completed, failed, processing, pending.
    expect([...container.querySelectorAll<HTMLElement>('[data-segment]')].map((el) => el.dataset['segment'])).toEqual([
      'completed',
      'failed',
      'processing',
    ]);
  });

  it('describes the counts for screen readers and in segment titles', () => {
    const { container } = render(<SegmentedProgress completed={1} failed={0} processing={1} pending={2} />);

    const bar = screen.getByRole('progressbar');
    const summary = document.getElementById(bar.getAttribute('aria-describedby') as string);
    expect(summary?.textContent).toBe('Completed: 1, Failed: 0, Processing: 1, Pending: 2 (25% done)');
    expect(summary?.className).toContain('sr-only');
    expect(container.querySelector('[data-segment="pending"]')?.getAttribute('title')).toBe('Pending: 2 (50%)');
  });

  it('handles all-zero counts without dividing by zero', () => {
    const { container } = render(<SegmentedProgress completed={0} failed={0} processing={0} pending={0} />);

    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect(container.querySelectorAll('[data-segment]')).toHaveLength(0);
    expect(container.textContent).toContain('(0% done)');
  });

  it('uses translated labels and treats invalid counts as zero', () => {
    render(
      <SegmentedProgress
        completed={2}
        failed={-4}
        processing={Number.NaN}
        pending={2}
        labels={{ progress: 'Fortschritt', completed: 'Fertig', done: 'erledigt' }}
      />,
    );

    const bar = screen.getByRole('progressbar', { name: 'Fortschritt' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText('Fertig: 2, Failed: 0, Processing: 0, Pending: 2 (50% erledigt)')).toBeTruthy();
  });

  it('rounds the percentage', () => {
    expect(segmentedProgressPercent({ completed: 1, failed: 0, processing: 0, pending: 2 })).toBe(33);
    expect(segmentedProgressPercent({ completed: 2, failed: 0, processing: 1, pending: 0 })).toBe(67);
  });
});
