'use client';

import { cn } from '../lib/utils';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from './select';

export type Language = { code: string; name: string };

export type LanguageSelectProps = {
  value: string | undefined;
  onValueChange: (code: string) => void;
  languages: ReadonlyArray<Language>;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
  className?: string;
  name?: string;
  required?: boolean;
};

/** A Select of languages, each item shown as "de — Deutsch". */
export function LanguageSelect({
  value,
  onValueChange,
  languages,
  disabled,
  id,
  'aria-label': ariaLabel,
  placeholder,
  className,
  name,
  required,
}: LanguageSelectProps) {
  return (
    <Select value={value ?? ''} onValueChange={onValueChange} disabled={disabled} name={name} required={required}>
      <SelectTrigger id={id} aria-label={ariaLabel} className={cn('w-full min-w-48', className)} data-slot="language-select">
        <SelectValue placeholder={placeholder} />
      </SelectTrigger>
      <SelectContent>
        {languages.map((language) => (
          <SelectItem key={language.code} value={language.code}>
            <span className="font-mono">{language.code}</span>
            <span className="text-muted-foreground">—</span>
            <span>{language.name}</span>
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
