import * as React from 'react';
import { cn } from '../lib/utils';

export type EmptyStateProps = Omit<React.ComponentProps<'div'>, 'title'> & {
  /** An icon element, e.g. `<InboxIcon />` from lucide-react. */
  icon?: React.ReactNode;
  title: React.ReactNode;
  description?: React.ReactNode;
  /** A call to action, e.g. a Button. */
  action?: React.ReactNode;
  /** Element for the title (default h3). */
  titleAs?: 'h2' | 'h3' | 'h4' | 'p';
};

/** A centred placeholder for lists and tables without entries. */
export function EmptyState({ icon, title, description, action, titleAs = 'h3', className, ...props }: EmptyStateProps) {
  const Title = titleAs;
  return (
    <div
      data-slot="empty-state"
      className={cn(
        'flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed p-8 text-center',
        className,
      )}
      {...props}
    >
      {icon && (
        <div
          data-slot="empty-state-icon"
          aria-hidden="true"
          className="bg-muted text-muted-foreground flex size-12 items-center justify-center rounded-full [&_svg:not([class*='size-'])]:size-6"
        >
          {icon}
        </div>
      )}
      <div className="flex max-w-sm flex-col gap-1">
        <Title data-slot="empty-state-title" className="text-base font-semibold">
          {title}
        </Title>
        {description && (
          <p data-slot="empty-state-description" className="text-muted-foreground text-sm">
            {description}
          </p>
        )}
      </div>
      {action && <div data-slot="empty-state-action">{action}</div>}
    </div>
  );
}
