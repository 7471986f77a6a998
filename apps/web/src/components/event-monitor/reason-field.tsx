'use client';

import { Label, Textarea } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';

/** The "why" of a bulk action, stored with its audit event (optional unless the label says otherwise). */
export function ReasonField({
  id,
  value,
  onChange,
  label,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  label?: string;
}) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label ?? t.batch.reason}</Label>
      <Textarea
        id={id}
        value={value}
        rows={3}
        maxLength={1000}
        placeholder={t.batch.reasonPlaceholder}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

/** A trimmed reason, or undefined when blank (the server stores no empty reasons). */
export function reasonOf(value: string): string | undefined {
  return value.trim() || undefined;
}
