'use client';

import type { Control } from 'react-hook-form';
import {
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from '@event-monitor/ui';
import type { Dictionary } from '../../client/i18n/dictionaries';
import type { FormValues } from './job-rows';
import { TextField } from './row-fields';

/** The batch's job options (for every row that does not set its own) and who may see it. */
export function BatchOptionsFields({ control, t }: { control: Control<FormValues>; t: Dictionary }) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <TextField control={control} name="job_type" label={t.form.jobType} placeholder={t.form.jobTypeHint} />
      <TextField control={control} name="priority" label={t.form.priority} type="number" inputMode="numeric" placeholder="0" />
      <TextField control={control} name="max_attempts" label={t.form.maxAttempts} type="number" inputMode="numeric" placeholder="3" />
      <FormField
        control={control}
        name="visibility"
        render={({ field }) => (
          <FormItem>
            <FormLabel>{t.form.visibility}</FormLabel>
            <Select value={field.value} onValueChange={field.onChange}>
              <FormControl>
                <SelectTrigger className="w-full">
                  <SelectValue />
                </SelectTrigger>
              </FormControl>
              <SelectContent>
                <SelectItem value="private">{t.form.visibilityPrivate}</SelectItem>
                <SelectItem value="public">{t.form.visibilityPublic}</SelectItem>
              </SelectContent>
            </Select>
            <FormDescription>{field.value === 'public' ? t.form.visibilityPublicHint : t.form.visibilityPrivateHint}</FormDescription>
            <FormMessage />
          </FormItem>
        )}
      />
      <TextField control={control} name="not_before" label={t.form.notBefore} type="datetime-local" />
      <TextField control={control} name="deadline" label={t.form.deadline} type="datetime-local" />
    </div>
  );
}
