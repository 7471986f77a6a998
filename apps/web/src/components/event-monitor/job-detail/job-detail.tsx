'use client';

import { Badge, StatusBadge, Tabs, TabsContent, TabsList, TabsTrigger } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { BatchRights } from '../../../client/batch-rights';
import { useCanWrite } from '../../../client/session-context';
import type { Job } from '../../../client/types';
import { JobActions } from './job-actions';
import { JobError } from './job-error';
import { JobLogs } from './job-logs';
import { JobParameters } from './job-parameters';
import { JobProgress } from './job-progress';
import { JobResults } from './job-results';
import { JobTimeline } from './job-timeline';
import { LiveRetryNote } from '../../triage/error-cell';

/** The sheet's body: who and where, the writer's actions, progress, error, and four tabs. */
export function JobDetail({ job, onDeleted, rights }: { job: Job; onDeleted: () => void; rights?: BatchRights }) {
  const { t } = useI18n();
  const canWrite = useCanWrite() && (rights?.write ?? true);
  return (
    <div className="flex flex-col gap-5 px-4 pb-6">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={job.status} label={t.status[job.status]} />
        {job.lease ? <Badge variant="outline">{job.lease.worker_id}</Badge> : null}
        <span className="text-muted-foreground font-mono text-xs">{job.job_id}</span>
      </div>

      {canWrite ? <JobActions job={job} onDeleted={onDeleted} canAdmin={rights?.admin ?? true} /> : null}

      <JobProgress job={job} />

      {job.error ? <JobError error={job.error} retry={<LiveRetryNote job={job} />} /> : null}

      <Tabs defaultValue={job.results?.markdown_content ? 'results' : 'logs'}>
        <TabsList className="w-full">
          <TabsTrigger value="logs">{t.job.logs}</TabsTrigger>
          <TabsTrigger value="results">{t.job.results}</TabsTrigger>
          <TabsTrigger value="parameters">{t.job.parameters}</TabsTrigger>
          <TabsTrigger value="timeline">{t.job.timeline}</TabsTrigger>
        </TabsList>
        <TabsContent value="logs" className="pt-3">
          <JobLogs job={job} />
        </TabsContent>
        <TabsContent value="results" className="pt-3">
          <JobResults job={job} />
        </TabsContent>
        <TabsContent value="parameters" className="pt-3">
          <JobParameters job={job} />
        </TabsContent>
        <TabsContent value="timeline" className="pt-3">
          <JobTimeline job={job} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
