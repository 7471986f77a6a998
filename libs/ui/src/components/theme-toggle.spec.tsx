import { fireEvent, render, screen } from '@testing-library/react';
import { ThemeToggle } from './theme-toggle';

// next-themes' ThemeProvider injects a <script>, which React 19 warns about on the client; the
// toggle only needs useTheme, so stub that.
const setTheme = jest.fn();
jest.mock('next-themes', () => ({
  useTheme: () => ({ theme: 'light', setTheme, themes: ['light', 'dark', 'system'] }),
}));

describe('ThemeToggle', () => {
  it('offers light, dark and system, marks the current one and sets the chosen theme', () => {
    render(<ThemeToggle aria-label="Farbschema" labels={{ dark: 'Dunkel' }} />);

    const trigger = screen.getByRole('button', { name: 'Farbschema' });
    expect(trigger.getAttribute('aria-haspopup')).toBe('menu');
    fireEvent.keyDown(trigger, { key: 'Enter' });

    const items = screen.getAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Light', 'Dunkel', 'System']);
    expect(items.map((item) => item.getAttribute('aria-checked'))).toEqual(['true', 'false', 'false']);

    fireEvent.click(screen.getByRole('menuitemradio', { name: 'Dunkel' }));
    expect(setTheme).toHaveBeenCalledWith('dark');
  });
});
