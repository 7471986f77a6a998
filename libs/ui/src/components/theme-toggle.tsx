'use client';

import { useTheme } from 'next-themes';
import { MonitorIcon, MoonIcon, SunIcon } from 'lucide-react';
import { cn } from '../lib/utils';
import { Button } from './button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from './dropdown-menu';

export type ThemeToggleProps = {
  /** Accessible name of the trigger button, e.g. "Toggle theme". */
  'aria-label'?: string;
  /** Item texts; English by default. */
  labels?: Partial<Record<'light' | 'dark' | 'system', string>>;
  className?: string;
};

const defaultLabels = { light: 'Light', dark: 'Dark', system: 'System' };

/** Icon button with a light / dark / system menu (needs next-themes' ThemeProvider with attribute="class"). */
export function ThemeToggle({ 'aria-label': ariaLabel = 'Toggle theme', labels, className }: ThemeToggleProps) {
  const { theme, setTheme } = useTheme();
  const text = { ...defaultLabels, ...labels };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={ariaLabel} className={cn('relative', className)} data-slot="theme-toggle">
          <SunIcon aria-hidden="true" className="scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" />
          <MoonIcon
            aria-hidden="true"
            className="absolute scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0"
          />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuRadioGroup value={theme} onValueChange={setTheme}>
          <DropdownMenuRadioItem value="light">
            <SunIcon aria-hidden="true" />
            {text.light}
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="dark">
            <MoonIcon aria-hidden="true" />
            {text.dark}
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="system">
            <MonitorIcon aria-hidden="true" />
            {text.system}
          </DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
