'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { AlertTriangleIcon, ArrowLeftIcon, PauseIcon, PlayIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  Input,
  Label,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
} from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useSessionUser } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { OptionalNumberField, optionalNumberOf } from '../optional-number-field';

type JobTypeFlow = RouterOutputs['flow']['list']['job_types'][number];

const REFRESH_MS = 5_000;

function useFlowMutations() {
  const { t } = useI18n();
  const utils = trpc.useUtils();
  const done = {
    onSuccess: () => {
      toast.success(t.flow.saved);
      void utils.flow.list.invalidate();
    },
    onError: (error: unknown) => toast.error(errorMessage(error, t)),
  };
  return {
    setLimits: trpc.flow.setLimits.useMutation(done),
    pause: trpc.flow.pause.useMutation(done),
    resume: trpc.flow.resume.useMutation(done),
  };
}

function FlowRow({ type, admin }: { type: JobTypeFlow; admin: boolean }) {
  const { t, formatDateTime } = useI18n();
  const { pause, resume } = useFlowMutations();
  const name = type.job_type || t.flow.noType;
  return (
    <TableRow data-testid={`flow-row-${type.job_type}`}>
      <TableCell className="font-mono">{name}</TableCell>
      <TableCell>
        {type.paused ? (
          <Badge variant="warning">{type.resume_at ? t.flow.pausedUntil(formatDateTime(type.resume_at)) : t.flow.paused}</Badge>
        ) : (
          <Badge variant="secondary">{t.flow.running}</Badge>
        )}
      </TableCell>
      <TableCell className="text-right tabular-nums">{type.max_concurrent ?? t.flow.none}</TableCell>
      <TableCell className="text-right tabular-nums">{type.rate_per_minute ?? t.flow.none}</TableCell>
      <TableCell className="text-right tabular-nums">{type.processing}</TableCell>
      <TableCell className="text-right tabular-nums">{type.started_this_minute}</TableCell>
      {admin ? (
        <TableCell className="text-right">
          {type.paused ? (
            <Button size="sm" variant="outline" disabled={resume.isPending} onClick={() => resume.mutate({ job_type: type.job_type })}>
              <PlayIcon aria-hidden="true" />
              {t.flow.resume}
            </Button>
          ) : (
            <Button size="sm" variant="outline" disabled={pause.isPending} onClick={() => pause.mutate({ job_type: type.job_type })}>
              <PauseIcon aria-hidden="true" />
              {t.flow.pause}
            </Button>
          )}
        </TableCell>
      ) : null}
    </TableRow>
  );
}

/** Set the limits of a type, or pause it (with an optional automatic resume). Admins only. */
function FlowForm() {
  const { t } = useI18n();
  const { setLimits, pause } = useFlowMutations();
  const [jobType, setJobType] = useState('');
  const [maxConcurrent, setMaxConcurrent] = useState('');
  const [ratePerMinute, setRatePerMinute] = useState('');
  const [resumeAt, setResumeAt] = useState('');

  const saveLimits = (event: FormEvent) => {
    event.preventDefault();
    setLimits.mutate({ job_type: jobType, max_concurrent: optionalNumberOf(maxConcurrent), rate_per_minute: optionalNumberOf(ratePerMinute) });
  };
  const pauseType = () => pause.mutate(resumeAt ? { job_type: jobType, resume_at: new Date(resumeAt) } : { job_type: jobType });

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t.flow.add}</CardTitle>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" onSubmit={saveLimits} aria-label={t.flow.add}>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="flow-job-type">{t.flow.jobType}</Label>
            <Input id="flow-job-type" value={jobType} maxLength={100} onChange={(e) => setJobType(e.target.value)} />
          </div>
          <OptionalNumberField id="flow-max-concurrent" label={t.flow.maxConcurrent} placeholder={t.flow.none} value={maxConcurrent} onChange={setMaxConcurrent} />
          <OptionalNumberField id="flow-rate" label={t.flow.ratePerMinute} placeholder={t.flow.none} value={ratePerMinute} onChange={setRatePerMinute} />
          <div className="flex items-end">
            <Button type="submit" disabled={setLimits.isPending}>
              {t.flow.saveLimits}
            </Button>
          </div>
          <div className="flex flex-col gap-1.5 sm:col-span-2">
            <Label htmlFor="flow-resume-at">{t.flow.resumeAt}</Label>
            <Input id="flow-resume-at" type="datetime-local" value={resumeAt} onChange={(e) => setResumeAt(e.target.value)} />
          </div>
          <div className="flex items-end">
            <Button type="button" variant="outline" disabled={pause.isPending} onClick={pauseType}>
              <PauseIcon aria-hidden="true" />
              {t.flow.pause}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

/** /workers/flow: paused job types and limits per type; admins edit them. */
export function FlowView() {
  const { t } = useI18n();
  const admin = useSessionUser().role === 'admin';
  const flow = trpc.flow.list.useQuery(undefined, { refetchInterval: REFRESH_MS });

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/workers" className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
          <ArrowLeftIcon aria-hidden="true" className="size-4" />
          {t.workers.title}
        </Link>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.flow.title}</h1>
        <p className="text-muted-foreground text-sm">{t.flow.description}</p>
      </div>
      <Alert variant="default">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertDescription>{t.flow.legacyNote}</AlertDescription>
      </Alert>

      <Card>
        <CardHeader>
          <CardTitle>{t.flow.title}</CardTitle>
          {admin ? null : <CardDescription>{t.flow.adminsOnly}</CardDescription>}
        </CardHeader>
        <CardContent>
          {flow.isPending ? (
            <Skeleton className="h-24 w-full" />
          ) : flow.isError ? (
            <Alert variant="destructive">
              <AlertDescription>
                <p>{t.flow.loadError}</p>
                <p>{errorMessage(flow.error, t)}</p>
              </AlertDescription>
            </Alert>
          ) : flow.data.job_types.length === 0 ? (
            <EmptyState icon={<PauseIcon aria-hidden="true" />} title={t.flow.empty} />
          ) : (
            <div className="overflow-x-auto rounded-md border">
              <Table aria-label={t.flow.title}>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t.flow.jobType}</TableHead>
                    <TableHead>{t.flow.status}</TableHead>
                    <TableHead className="text-right">{t.flow.maxConcurrent}</TableHead>
                    <TableHead className="text-right">{t.flow.ratePerMinute}</TableHead>
                    <TableHead className="text-right">{t.flow.processing}</TableHead>
                    <TableHead className="text-right">{t.flow.startedThisMinute}</TableHead>
                    {admin ? <TableHead className="text-right">{t.flow.actions}</TableHead> : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {flow.data.job_types.map((type) => (
                    <FlowRow key={type.job_type} type={type} admin={admin} />
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>

      {admin ? <FlowForm /> : null}
    </div>
  );
}
