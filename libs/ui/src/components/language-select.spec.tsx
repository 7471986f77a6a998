import { fireEvent, render, screen } from '@testing-library/react';
import { LanguageSelect } from './language-select';

const languages = [
  { code: 'de', name: 'Deutsch' },
  { code: 'fr', name: 'Français' },
];

describe('LanguageSelect', () => {
  it('shows the selected language as "code — name" on a labelled combobox', () => {
    render(<LanguageSelect value="de" onValueChange={() => undefined} languages={languages} aria-label="Target language" id="lang" />);

    const trigger = screen.getByRole('combobox', { name: 'Target language' });
    expect(trigger.id).toBe('lang');
    expect(trigger.textContent).toBe('de—Deutsch');
  });

  it('reports the chosen language code', () => {
    const onValueChange = jest.fn();
    render(<LanguageSelect value="de" onValueChange={onValueChange} languages={languages} aria-label="Target language" />);

    fireEvent.keyDown(screen.getByRole('combobox'), { key: 'Enter' });
    const option = screen.getByRole('option', { name: /Français/ });
    expect(option.textContent).toBe('fr—Français');
    fireEvent.click(option);

    expect(onValueChange).toHaveBeenCalledWith('fr');
  });

  it('can be disabled', () => {
    render(<LanguageSelect value="de" onValueChange={() => undefined} languages={languages} aria-label="Target language" disabled />);
    expect((screen.getByRole('combobox') as HTMLButtonElement).disabled).toBe(true);
  });
});
