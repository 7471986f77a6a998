import { render, screen } from '@testing-library/react';
import { EmptyState } from './empty-state';

describe('EmptyState', () => {
  it('renders title, description, decorative icon and action', () => {
    const { container } = render(
      <EmptyState
        icon={<svg data-testid="icon" />}
        title="No events yet"
        description="Create your first event."
        action={<button type="button">New event</button>}
      />,
    );

    expect(screen.getByRole('heading', { level: 3, name: 'No events yet' })).toBeTruthy();
    expect(screen.getByText('Create your first event.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New event' })).toBeTruthy();
    expect(screen.getByTestId('icon').closest('[aria-hidden="true"]')).not.toBeNull();
    expect(container.querySelector('[data-slot="empty-state-description"]')).not.toBeNull();
  });

  it('omits optional parts', () => {
    const { container } = render(<EmptyState title="Nothing here" titleAs="p" />);
    expect(screen.queryByRole('heading')).toBeNull();
    expect(container.querySelector('[data-slot="empty-state-icon"]')).toBeNull();
    expect(container.querySelector('[data-slot="empty-state-action"]')).toBeNull();
  });
});
