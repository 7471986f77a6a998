'use client';

import {
  Label,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
  Skeleton,
  Switch,
} from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';
import { splitLogsByAttempt, type LogAttempt } from '../../triage/triage-format';
import { LOG_LEVELS, useJobLogs, type LogLevel } from './use-job-logs';

const LEVEL_CLASS: Record<LogLevel, string> = {
  debug: 'text-muted-foreground',
  info: 'text-foreground',
  warning: 'text-warning',
  error: 'text-destructive',
  critical: 'text-destructive font-semibold',
};

/** The log tab: a level filter, "follow", and the lines. */
export function JobLogs({ job }: { job: Job }) {
  const { t, formatTime } = useI18n();
  const { logs, lines, level, setLevel, follow, setFollow, end } = useJobLogs(job);
  const parts: LogAttempt[] = level === 'all' ? splitLogsByAttempt(lines) : [{ attempt: 0, run: 0, ended: false, lines }];
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <Select value={level} onValueChange={(v) => setLevel(v as LogLevel | 'all')}>
          <SelectTrigger className="w-40" aria-label={t.job.logLevel}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">{t.job.allLevels}</SelectItem>
            {LOG_LEVELS.map((value) => (
              <SelectItem key={value} value={value}>
                {value}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <div className="flex items-center gap-2">
          <Switch id="follow-logs" checked={follow} onCheckedChange={setFollow} />
          <Label htmlFor="follow-logs" className="font-normal">
            {t.job.followLogs}
          </Label>
        </div>
      </div>
      {logs.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : lines.length === 0 ? (
        <p className="text-muted-foreground text-sm">{t.job.noLogs}</p>
      ) : (
        <div
          role="log"
          aria-label={t.job.logs}
          aria-live="polite"
          tabIndex={0}
          className="bg-muted/40 focus-visible:ring-ring/50 max-h-96 overflow-auto rounded-md border p-2 font-mono text-xs outline-none focus-visible:ring-[3px]"
        >
          {/* Per attempt when every level shows (the cut follows the server's own lines, which a level filter may hide). */}
          {parts.map((part, partIndex) => (
            <section
              key={partIndex}
              aria-label={parts.length > 1 ? t.triage.attempt(part.attempt, part.run) : undefined}
              data-testid="log-attempt"
            >
              {parts.length > 1 ? (
                <div className="text-muted-foreground border-b pt-2 pb-1 font-sans text-xs font-semibold">
                  {t.triage.attempt(part.attempt, part.run)}
                </div>
              ) : null}
              {part.lines.map((line, index) => (
                <div key={index} className={`flex gap-2 ${LEVEL_CLASS[line.level as LogLevel] ?? ''}`}>
                  <span className="text-muted-foreground shrink-0">{formatTime(line.timestamp)}</span>
                  <span className="w-14 shrink-0 uppercase">{line.level}</span>
                  <span className="break-words whitespace-pre-wrap">{line.message}</span>
                </div>
              ))}
            </section>
          ))}
          <div ref={end} />
        </div>
      )}
    </div>
  );
}
