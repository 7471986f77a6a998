import * as React from 'react';
import { cn } from '../lib/utils';

export type SegmentedProgressSegment = 'completed' | 'failed' | 'processing' | 'pending';

export type SegmentedProgressLabels = Record<SegmentedProgressSegment, string> & {
  /** Accessible name of the progress bar. */
  progress: string;
  /** Word after the percentage in the screen-reader summary, e.g. "done" in "40% done". */
  done: string;
};

const defaultLabels: SegmentedProgressLabels = {
  completed: 'Completed',
  failed: 'Failed',
  processing: 'Processing',
  pending: 'Pending',
  progress: 'Progress',
  done: 'done',
};

/** Left-to-right order and colour of the segments. */
const segments: ReadonlyArray<{ key: SegmentedProgressSegment; className: string }> = [
  { key: 'completed', className: 'bg-success' },
  { key: 'failed', className: 'bg-destructive' },
  { key: 'processing', className: 'bg-info' },
  { key: 'pending', className: 'bg-muted-foreground/30' },
];

export type SegmentedProgressProps = Omit<React.ComponentProps<'div'>, 'children'> & {
  completed: number;
  failed: number;
  processing: number;
  pending: number;
  /** Translated texts; any missing key falls back to English. */
  labels?: Partial<SegmentedProgressLabels>;
};

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Percentage of finished (completed + failed) items, 0 when there is nothing to do. */
export function segmentedProgressPercent(counts: Record<SegmentedProgressSegment, number>): number {
  const done = count(counts.completed) + count(counts.failed);
  const total = done + count(counts.processing) + count(counts.pending);
  return total === 0 ? 0 : Math.round((done / total) * 100);
}

/**
 * A horizontal bar split into completed / failed / processing / pending segments whose widths are
 * proportional to the counts. Exposed as a progressbar whose value is the finished percentage.
 */
export function SegmentedProgress({
  completed,
  failed,
  processing,
  pending,
  labels,
  className,
  id,
  ...props
}: SegmentedProgressProps) {
  const generatedId = React.useId();
  const summaryId = `${id ?? generatedId}-summary`;
  const text = { ...defaultLabels, ...labels };
  const counts: Record<SegmentedProgressSegment, number> = {
    completed: count(completed),
    failed: count(failed),
    processing: count(processing),
    pending: count(pending),
  };
  const total = counts.completed + counts.failed + counts.processing + counts.pending;
  const percent = segmentedProgressPercent(counts);
  const summary = `${segments.map(({ key }) => `${text[key]}: ${counts[key]}`).join(', ')} (${percent}% ${text.done})`;

  return (
    <div data-slot="segmented-progress" className={cn('w-full', className)} id={id} {...props}>
      <div
        role="progressbar"
        aria-label={text.progress}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% ${text.done}`}
        aria-describedby={summaryId}
        data-slot="segmented-progress-bar"
        className="bg-muted flex h-2 w-full overflow-hidden rounded-full"
      >
        {total > 0 &&
          segments
            .filter(({ key }) => counts[key] > 0)
            .map(({ key, className: segmentClassName }) => {
              const share = (counts[key] / total) * 100;
              return (
                <div
                  key={key}
                  data-slot="segmented-progress-segment"
                  data-segment={key}
                  title={`${text[key]}: ${counts[key]} (${Math.round(share)}%)`}
                  className={cn('h-full transition-[width] duration-500 ease-out motion-reduce:transition-none', segmentClassName)}
                  style={{ width: `${share}%` }}
                />
              );
            })}
      </div>
      <span id={summaryId} className="sr-only">
        {summary}
      </span>
    </div>
  );
}
