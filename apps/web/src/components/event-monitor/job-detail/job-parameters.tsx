import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';

const PARAMETER_KEYS = [
  'event',
  'session',
  'track',
  'day',
  'starttime',
  'endtime',
  'speakers',
  'url',
  'video_url',
  'attachments_url',
  'filename',
  'source_language',
  'target_language',
  'use_cache',
] as const;

/** The job's parameters as a definition list; web addresses are links. */
export function JobParameters({ job }: { job: Job }) {
  const { t } = useI18n();
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {PARAMETER_KEYS.map((key) => {
        const raw = job.parameters[key];
        const value = Array.isArray(raw)
          ? raw.join(', ')
          : typeof raw === 'boolean'
            ? raw
              ? t.common.yes
              : t.common.no
            : raw;
        const isUrl = typeof value === 'string' && /^https?:\/\//.test(value);
        return (
          <div key={key} className="contents">
            <dt className="text-muted-foreground">{t.job.param[key]}</dt>
            <dd className="min-w-0 break-words">
              {isUrl ? (
                <a href={value} target="_blank" rel="noreferrer noopener" className="underline underline-offset-4">
                  {value}
                </a>
              ) : (
                value || t.common.none
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
