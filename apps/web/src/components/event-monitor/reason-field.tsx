'use client';

import { Label, Textarea } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';

/** The optional "why" of a bulk action, stored with its audit event. */
export function ReasonField({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{t.batch.reason}</Label>
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
