'use client';

import { memo } from 'react';
import type { Control, FieldPath } from 'react-hook-form';
import { Checkbox, FormControl, FormField, FormItem, FormLabel, FormMessage, Input, LanguageSelect } from '@event-monitor/ui';
import { LANGUAGES } from '@event-monitor/contracts';
import type { Dictionary } from '../../client/i18n/dictionaries';
import { URL_FIELDS, type FormValues } from './job-rows';

export function TextField({
  control,
  name,
  label,
  placeholder,
  type = 'text',
  className,
  inputMode,
}: {
  control: Control<FormValues>;
  name: FieldPath<FormValues>;
  label: string;
  placeholder?: string;
  type?: string;
  className?: string;
  inputMode?: 'numeric';
}) {
  return (
    <FormField
      control={control}
      name={name}
      render={({ field }) => (
        <FormItem className={className}>
          <FormLabel>{label}</FormLabel>
          <FormControl>
            <Input
              type={type}
              inputMode={inputMode}
              placeholder={placeholder}
              name={field.name}
              ref={field.ref}
              onBlur={field.onBlur}
              onChange={field.onChange}
              value={typeof field.value === 'string' ? field.value : ''}
            />
          </FormControl>
          <FormMessage />
        </FormItem>
      )}
    />
  );
}

/** The inputs of one job row (`jobs.<index>.*`): inline for a few rows, in the row dialog for many. */
export const RowFields = memo(function RowFields({
  control,
  index,
  t,
}: {
  control: Control<FormValues>;
  index: number;
  t: Dictionary;
}) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <TextField control={control} name={`jobs.${index}.event`} label={t.job.param.event} />
      <TextField control={control} name={`jobs.${index}.session`} label={t.job.param.session} className="lg:col-span-2" />
      <TextField control={control} name={`jobs.${index}.track`} label={t.job.param.track} />
      <TextField control={control} name={`jobs.${index}.day`} label={t.job.param.day} />
      <TextField control={control} name={`jobs.${index}.starttime`} label={t.job.param.starttime} />
      <TextField control={control} name={`jobs.${index}.endtime`} label={t.job.param.endtime} />
      <TextField
        control={control}
        name={`jobs.${index}.speakers`}
        label={t.job.param.speakers}
        placeholder={t.createBatch.speakersHint}
      />
      {URL_FIELDS.map((key) => (
        <TextField
          key={key}
          control={control}
          name={`jobs.${index}.${key}`}
          label={t.job.param[key]}
          type="url"
          placeholder="https://"
          className={key === 'url' ? 'lg:col-span-2' : undefined}
        />
      ))}
      <TextField control={control} name={`jobs.${index}.filename`} label={t.job.param.filename} />
      {(['source_language', 'target_language'] as const).map((key) => (
        <FormField
          key={key}
          control={control}
          name={`jobs.${index}.${key}`}
          render={({ field: f }) => (
            <FormItem>
              <FormLabel>{t.job.param[key]}</FormLabel>
              <FormControl>
                <LanguageSelect value={f.value} onValueChange={f.onChange} languages={LANGUAGES} className="w-full" />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
      ))}
      <FormField
        control={control}
        name={`jobs.${index}.use_cache`}
        render={({ field: f }) => (
          <FormItem className="flex flex-row items-center gap-2 self-end pb-2">
            <FormControl>
              <Checkbox checked={f.value} onCheckedChange={(v) => f.onChange(v === true)} />
            </FormControl>
            <FormLabel className="font-normal">{t.job.param.use_cache}</FormLabel>
          </FormItem>
        )}
      />
    </div>
  );
});
