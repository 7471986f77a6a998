'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { FileTextIcon, LanguagesIcon, Loader2Icon, RotateCcwIcon, Trash2Icon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Badge,
  Button,
  Checkbox,
  ConfirmDialog,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Label,
  LanguageSelect,
  Progress,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
  Skeleton,
  StatusBadge,
  Switch,
  Tabs,
  TabsContent,
  TabsList,
  TabsTrigger,
  toast,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useI18n } from '../../client/i18n/i18n-provider';
import { LANGUAGES } from '@event-monitor/contracts';
import { useCanWrite } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import type { Job, LanguageCode } from '../../client/types';
import { ChangeLanguageDialog } from './change-language-dialog';
import { resultFiles, type ResultFile } from './job-format';
import { AuditEventSummary } from '../audit/audit-event';

const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
const LEVEL_CLASS: Record<LogLevel, string> = {
  debug: 'text-muted-foreground',
  info: 'text-foreground',
  warning: 'text-warning',
  error: 'text-destructive',
  critical: 'text-destructive font-semibold',
};
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

function Parameters({ job }: { job: Job }) {
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
                <a
                  href={value}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="underline underline-offset-4"
                >
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

function Logs({ job }: { job: Job }) {
  const { t, formatTime } = useI18n();
  const [level, setLevel] = useState<LogLevel | 'all'>('all');
  const [follow, setFollow] = useState(true);
  const end = useRef<HTMLDivElement>(null);
  const live = job.status === 'processing' || job.status === 'pending';
  const logs = trpc.job.logs.useQuery(
    { job_id: job.job_id, level: level === 'all' ? undefined : level, limit: 1000 },
    { refetchInterval: live ? 2_000 : false },
  );
  const lines = logs.data ?? [];
  useEffect(() => {
    if (follow) end.current?.scrollIntoView({ block: 'nearest' });
  }, [follow, lines.length]);

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
          {lines.map((line, index) => (
            <div key={index} className={`flex gap-2 ${LEVEL_CLASS[line.level as LogLevel] ?? ''}`}>
              <span className="text-muted-foreground shrink-0">
                {formatTime(line.timestamp)}
              </span>
              <span className="w-14 shrink-0 uppercase">{line.level}</span>
              <span className="break-words whitespace-pre-wrap">{line.message}</span>
            </div>
          ))}
          <div ref={end} />
        </div>
      )}
    </div>
  );
}

function Results({ job }: { job: Job }) {
  const { t } = useI18n();
  // Legacy workers wrote whatever they had: numbers, objects or nulls where paths belong.
  const { markdownFile, assets, markdownContent } = resultFiles(job.results);
  if (!markdownContent && !markdownFile && assets.length === 0) {
    return <p className="text-muted-foreground text-sm">{t.job.noResults}</p>;
  }
  return (
    <div className="flex flex-col gap-4">
      {markdownFile || assets.length > 0 ? (
        <ul className="flex flex-col gap-1 text-sm">
          {markdownFile ? (
            <li>
              <FileLink file={markdownFile}>
                <FileTextIcon aria-hidden="true" className="size-4" />
                {t.job.markdownFile}: {markdownFile.label}
              </FileLink>
            </li>
          ) : null}
          {assets.map((asset, index) => (
            <li key={index}>
              <FileLink file={asset}>{asset.label}</FileLink>
            </li>
          ))}
        </ul>
      ) : null}
      {markdownContent ? (
        <article data-testid="job-result" className="markdown-body rounded-md border p-4 text-sm">
          <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]}>
            {markdownContent}
          </ReactMarkdown>
        </article>
      ) : null}
    </div>
  );
}

/** A link to the files route when the worker reported a path; the value as text otherwise. */
function FileLink({ file, children }: { file: ResultFile; children: ReactNode }) {
  if (!file.href) return <span className="inline-flex items-center gap-1 break-all">{children}</span>;
  return (
    <a
      href={file.href}
      className="inline-flex items-center gap-1 break-all underline underline-offset-4"
      target="_blank"
      rel="noreferrer"
    >
      {children}
    </a>
  );
}

interface TimelineEntry {
  key: string;
  at: Date;
  content: ReactNode;
  /** Audit events (someone acted) stand out from the job's own milestones. */
  audit?: boolean;
}

/**
 * The job's milestones (created, started, completed) merged in time order with the audit events
 * that name the job or its batch (restarts, language changes, fail-all, ...).
 */
function Timeline({ job }: { job: Job }) {
  const { t, formatDateTime } = useI18n();
  const trail = trpc.audit.forJob.useQuery({ job_id: job.job_id, limit: 50 });
  const milestones: [string, Date | string | undefined][] = [
    [t.job.createdAt, job.created_at],
    [t.job.startedAt, job.processing_started_at],
    [t.job.completedAt, job.completed_at],
  ];
  const entries: TimelineEntry[] = [
    ...milestones.flatMap(([label, at]) =>
      at ? [{ key: label, at: new Date(at), content: <span className="font-medium">{label}</span> }] : [],
    ),
    ...(trail.data?.events ?? []).map((event) => ({
      key: event.event_id,
      at: new Date(event.at),
      content: <AuditEventSummary event={event} />,
      audit: true,
    })),
  ].sort((x, y) => x.at.getTime() - y.at.getTime());

  return (
    <div className="flex flex-col gap-4">
      <ol className="relative ml-2 flex flex-col gap-3 border-l pl-4 text-sm" aria-label={t.job.timeline}>
        {entries.map((entry) => (
          <li key={entry.key} className="relative" data-audit={entry.audit || undefined}>
            <span
              aria-hidden="true"
              className={`absolute top-1.5 -left-[21px] size-2.5 rounded-full ${entry.audit ? 'bg-primary' : 'bg-border'}`}
            />
            <time dateTime={entry.at.toISOString()} className="text-muted-foreground block text-xs">
              {formatDateTime(entry.at)}
            </time>
            {entry.content}
          </li>
        ))}
      </ol>
      {trail.isPending ? <Skeleton className="h-10 w-full" /> : null}
      {trail.isError ? <p className="text-destructive text-sm">{errorMessage(trail.error, t)}</p> : null}
      <dl className="text-muted-foreground grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt>{t.jobs.attempts}</dt>
        <dd className="text-foreground">{t.job.attemptsOf(job.attempts, job.max_attempts)}</dd>
        <dt>{t.job.updatedAt}</dt>
        <dd className="text-foreground">{formatDateTime(job.updated_at)}</dd>
      </dl>
    </div>
  );
}

function RestartDialog({
  job,
  open,
  onOpenChange,
}: {
  job: Job;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [bypassCache, setBypassCache] = useState(false);
  const [changeTarget, setChangeTarget] = useState(false);
  const [language, setLanguage] = useState<string>(job.parameters.target_language);
  const restart = trpc.job.restart.useMutation({
    onSuccess: () => {
      toast.success(t.job.restarted);
      onOpenChange(false);
      void invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
  return (
    <Dialog open={open} onOpenChange={(next) => !restart.isPending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{t.job.restartTitle}</DialogTitle>
          <DialogDescription>{t.job.restartDescription}</DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            restart.mutate({
              job_id: job.job_id,
              bypass_cache: bypassCache || undefined,
              target_language: changeTarget ? (language as LanguageCode) : undefined,
            });
          }}
        >
          <div className="flex items-center gap-2">
            <Checkbox
              id="restart-bypass"
              checked={bypassCache}
              onCheckedChange={(v) => setBypassCache(v === true)}
            />
            <Label htmlFor="restart-bypass" className="font-normal">
              {t.job.bypassCache}
            </Label>
          </div>
          <div className="flex items-center gap-2">
            <Checkbox
              id="restart-language"
              checked={changeTarget}
              onCheckedChange={(v) => setChangeTarget(v === true)}
            />
            <Label htmlFor="restart-language" className="font-normal">
              {t.job.changeTarget}
            </Label>
          </div>
          {changeTarget ? (
            <LanguageSelect
              value={language}
              onValueChange={setLanguage}
              languages={LANGUAGES}
              aria-label={t.changeLanguage.language}
            />
          ) : null}
          <DialogFooter>
            <Button
              type="button"
              variant="outline"
              disabled={restart.isPending}
              onClick={() => onOpenChange(false)}
            >
              {t.common.cancel}
            </Button>
            <Button type="submit" disabled={restart.isPending}>
              {restart.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {t.job.restart}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function JobDetail({ job, onDeleted }: { job: Job; onDeleted: () => void }) {
  const { t } = useI18n();
  const canWrite = useCanWrite();
  const invalidate = useInvalidateAll();
  const [dialog, setDialog] = useState<null | 'restart' | 'delete' | 'language'>(null);
  const remove = trpc.job.delete.useMutation({
    onSuccess: () => {
      toast.success(t.job.deleted);
      void invalidate();
      onDeleted();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
  const percent = job.status === 'completed' ? 100 : (job.progress?.percent ?? 0);

  return (
    <div className="flex flex-col gap-5 px-4 pb-6">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={job.status} label={t.status[job.status]} />
        {job.lease ? <Badge variant="outline">{job.lease.worker_id}</Badge> : null}
        <span className="text-muted-foreground font-mono text-xs">{job.job_id}</span>
      </div>

      {canWrite ? (
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="outline"
            onClick={() => setDialog('restart')}
            disabled={job.status === 'processing'}
          >
            <RotateCcwIcon aria-hidden="true" />
            {t.job.restart}
          </Button>
          <Button size="sm" variant="outline" onClick={() => setDialog('language')}>
            <LanguagesIcon aria-hidden="true" />
            {t.batch.changeLanguage}
          </Button>
          <Button
            size="sm"
            variant="outline"
            className="text-destructive"
            onClick={() => setDialog('delete')}
          >
            <Trash2Icon aria-hidden="true" />
            {t.job.delete}
          </Button>
        </div>
      ) : null}

      <section aria-label={t.job.progress} className="flex flex-col gap-1.5">
        <Progress value={percent} aria-label={`${t.job.progress}: ${percent}%`} />
        <p className="text-muted-foreground text-xs">
          {percent}%{job.progress?.step ? ` · ${t.job.step}: ${job.progress.step}` : ''}
          {job.progress?.message ? ` · ${job.progress.message}` : ''}
        </p>
      </section>

      {job.error ? (
        <Alert variant="destructive">
          <AlertTitle>
            {t.job.error}: {job.error.code}
          </AlertTitle>
          <AlertDescription>
            <p className="break-words">{job.error.message}</p>
            {job.error.details ? (
              <details className="mt-2 w-full">
                <summary className="cursor-pointer">{t.job.errorDetails}</summary>
                <pre className="mt-1 max-h-48 overflow-auto text-xs whitespace-pre-wrap">
                  {typeof job.error.details === 'string'
                    ? job.error.details
                    : JSON.stringify(job.error.details, null, 2)}
                </pre>
              </details>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}

      <Tabs defaultValue={job.results?.markdown_content ? 'results' : 'logs'}>
        <TabsList className="w-full">
          <TabsTrigger value="logs">{t.job.logs}</TabsTrigger>
          <TabsTrigger value="results">{t.job.results}</TabsTrigger>
          <TabsTrigger value="parameters">{t.job.parameters}</TabsTrigger>
          <TabsTrigger value="timeline">{t.job.timeline}</TabsTrigger>
        </TabsList>
        <TabsContent value="logs" className="pt-3">
          <Logs job={job} />
        </TabsContent>
        <TabsContent value="results" className="pt-3">
          <Results job={job} />
        </TabsContent>
        <TabsContent value="parameters" className="pt-3">
          <Parameters job={job} />
        </TabsContent>
        <TabsContent value="timeline" className="pt-3">
          <Timeline job={job} />
        </TabsContent>
      </Tabs>

      {dialog === 'restart' ? (
        <RestartDialog job={job} open onOpenChange={(open) => !open && setDialog(null)} />
      ) : null}
      {dialog === 'language' ? (
        <ChangeLanguageDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          target={{ kind: 'jobs', jobIds: [job.job_id], current: job.parameters.target_language }}
        />
      ) : null}
      <ConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.job.deleteTitle}
        description={t.job.deleteDescription}
        confirmLabel={t.common.delete}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={() => remove.mutateAsync({ job_id: job.job_id })}
      />
    </div>
  );
}

export interface JobDetailSheetProps {
  jobId: string | null;
  onClose: () => void;
}

/** A job in a side sheet: progress, logs (following new lines), result, error, timeline and actions. */
export function JobDetailSheet({ jobId, onClose }: JobDetailSheetProps) {
  const { t } = useI18n();
  const job = trpc.job.get.useQuery(
    { job_id: jobId ?? '' },
    {
      enabled: jobId !== null,
      refetchInterval: (query) => {
        const status = query.state.data?.status;
        return status === 'processing' || status === 'pending' ? 2_000 : false;
      },
    },
  );
  return (
    <Sheet open={jobId !== null} onOpenChange={(open) => !open && onClose()}>
      <SheetContent side="right" closeLabel={t.common.close} className="w-full overflow-y-auto sm:max-w-2xl">
        <SheetHeader>
          <SheetTitle className="pr-6 break-words">{job.data?.job_name ?? t.job.details}</SheetTitle>
          <SheetDescription>{t.job.details}</SheetDescription>
        </SheetHeader>
        {job.isPending ? (
          <div className="flex flex-col gap-3 px-4">
            <Skeleton className="h-6 w-1/2" />
            <Skeleton className="h-2 w-full" />
            <Skeleton className="h-40 w-full" />
          </div>
        ) : job.isError ? (
          <div className="px-4">
            <Alert variant="destructive">
              <AlertDescription>
                {job.error.data?.code === 'NOT_FOUND' ? t.job.notFound : errorMessage(job.error, t)}
              </AlertDescription>
            </Alert>
          </div>
        ) : (
          <JobDetail job={job.data} onDeleted={onClose} />
        )}
      </SheetContent>
    </Sheet>
  );
}
