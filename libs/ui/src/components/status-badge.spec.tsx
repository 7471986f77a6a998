import { render, screen } from '@testing-library/react';
import { JOB_STATUSES, StatusBadge } from './status-badge';

describe('StatusBadge', () => {
  it.each([
    ['pending', 'Pending', 'border'],
    ['processing', 'Processing', 'bg-info'],
    ['completed', 'Completed', 'bg-success'],
    ['failed', 'Failed', 'bg-destructive'],
  ] as const)('renders %s with its default text and colour', (status, text, colourClass) => {
    render(<StatusBadge status={status} />);

    const badge = screen.getByText(text).closest('[data-slot="status-badge"]') as HTMLElement;
    expect(badge.getAttribute('data-status')).toBe(status);
    expect(badge.className).toContain(colourClass);
  });

  it('shows a custom label', () => {
    render(<StatusBadge status="failed" label="Fehlgeschlagen" />);
    expect(screen.getByText('Fehlgeschlagen').getAttribute('data-status')).toBe('failed');
  });

  it('adds a decorative pulse dot only while processing', () => {
    const { container } = render(
      <>
        {JOB_STATUSES.map((status) => (
          <StatusBadge key={status} status={status} />
        ))}
      </>,
    );

    const pulsing = [...container.querySelectorAll('.animate-ping')].map(
      (el) => el.closest('[data-status]')?.getAttribute('data-status'),
    );
    expect(pulsing).toEqual(['processing']);
    expect(container.querySelector('.animate-ping')?.closest('[aria-hidden="true"]')).not.toBeNull();
  });
});
