import { act, fireEvent, render, screen } from '@testing-library/react';
import { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog';

function setup(props: Partial<ConfirmDialogProps> = {}) {
  const onConfirm = jest.fn<ReturnType<ConfirmDialogProps['onConfirm']>, []>();
  const onOpenChange = jest.fn<void, [boolean]>();
  const utils = render(
    <ConfirmDialog
      open
      onOpenChange={onOpenChange}
      title="Delete event?"
      description="This cannot be undone."
      confirmLabel="Delete"
      cancelLabel="Cancel"
      destructive
      onConfirm={onConfirm}
      {...props}
    />,
  );
  return { onConfirm, onOpenChange, ...utils };
}

describe('ConfirmDialog', () => {
  it('is an accessible alert dialog', () => {
    setup();
    const dialog = screen.getByRole('alertdialog', { name: 'Delete event?' });
    expect(dialog.getAttribute('aria-describedby')).toBe(screen.getByText('This cannot be undone.').id);
  });

  it('calls onConfirm and closes when confirmed', () => {
    const { onConfirm, onOpenChange } = setup();

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));

    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('does not call onConfirm when cancelled (button or Escape)', () => {
    const { onConfirm, onOpenChange } = setup();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });

    expect(onConfirm).not.toHaveBeenCalled();
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('disables both buttons and shows a busy confirm button while pending', () => {
    const { onConfirm, onOpenChange } = setup({ pending: true });

    const confirm = screen.getByRole('button', { name: 'Delete' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(confirm.getAttribute('aria-busy')).toBe('true');
    expect(confirm.querySelector('svg.animate-spin')).not.toBeNull();
    expect((screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(confirm);
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(onConfirm).not.toHaveBeenCalled();
    expect(onOpenChange).not.toHaveBeenCalled();
  });

  it('takes the focus when it opens busy and hands it to Cancel once it is not', () => {
    const { rerender, onOpenChange, onConfirm } = setup({ pending: true });
    const dialog = screen.getByRole('alertdialog');
    expect(document.activeElement).toBe(dialog);

    const props = { onOpenChange, onConfirm, title: 'Delete event?', confirmLabel: 'Delete', cancelLabel: 'Cancel' };
    rerender(<ConfirmDialog open {...props} />);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));

    // Becoming busy while a (now disabled) button has the focus: the dialog keeps it.
    screen.getByRole('button', { name: 'Delete' }).focus();
    rerender(<ConfirmDialog open pending {...props} />);
    expect(document.activeElement).toBe(dialog);
  });

  it('waits for an async onConfirm before closing, and stays open if it fails', async () => {
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    const { onConfirm, onOpenChange } = setup();
    onConfirm.mockImplementation(
      () =>
        new Promise<void>((resolve, reject) => {
          settle = { resolve, reject };
        }),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(screen.getByRole('button', { name: 'Delete' }).getAttribute('aria-busy')).toBe('true');
    expect(onOpenChange).not.toHaveBeenCalled();

    await act(async () => settle?.reject(new Error('boom')));
    expect(onOpenChange).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Delete' }).getAttribute('aria-busy')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await act(async () => settle?.resolve());
    expect(onConfirm).toHaveBeenCalledTimes(2);
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('keeps the dialog open after confirming when closeOnConfirm is false', () => {
    const { onConfirm, onOpenChange } = setup({ closeOnConfirm: false });

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));

    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onOpenChange).not.toHaveBeenCalled();
  });

  it('renders nothing while closed', () => {
    setup({ open: false });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('renders extra content', () => {
    setup({ children: <p>3 translations will be removed.</p> });
    expect(screen.getByText('3 translations will be removed.')).toBeTruthy();
  });
});
