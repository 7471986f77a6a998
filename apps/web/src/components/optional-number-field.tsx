'use client';

import { Input, Label } from '@event-monitor/ui';

/** A number field's text as the API takes it: empty is "not set" (null). */
export function optionalNumberOf(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

/** A labelled whole-number field (at least 1) whose empty value means "off" or "no limit" (the placeholder says which). */
export function OptionalNumberField({
  id,
  label,
  placeholder,
  value,
  onChange,
}: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} type="number" min={1} placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
