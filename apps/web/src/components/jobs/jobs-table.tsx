'use client';

import Link from 'next/link';
import { Badge, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useJobsText } from './jobs-text';
import type { JobListItem } from '../../client/types';
import { jobHref } from '../triage/failure-jobs';

/** The rows of the jobs page: a job of a batch links to its sheet on the batch page. */
export function JobsTable({ jobs }: { jobs: JobListItem[] }) {
  const { t, formatDateTime } = useI18n();
  const text = useJobsText();
  return (
    <Table aria-label={text.title}>
      <TableHeader>
        <TableRow>
          <TableHead>{t.jobs.name}</TableHead>
          <TableHead>{t.jobs.status}</TableHead>
          <TableHead>{text.type}</TableHead>
          <TableHead>{t.jobs.language}</TableHead>
          <TableHead>{text.owner}</TableHead>
          <TableHead>{t.triage.batch}</TableHead>
          <TableHead>{t.jobs.created}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((job) => {
          const href = jobHref(job.batch_id ?? undefined, job.job_id);
          return (
            <TableRow key={job.job_id} data-testid="all-jobs-row">
              <TableCell className="max-w-80 truncate font-medium">
                {href ? (
                  <Link href={href} className="underline-offset-4 hover:underline">
                    {job.job_name || job.job_id}
                  </Link>
                ) : (
                  job.job_name || job.job_id
                )}
              </TableCell>
              <TableCell>
                <Badge variant="secondary">{t.status[job.status]}</Badge>
              </TableCell>
              <TableCell className="font-mono text-xs">{job.job_type || '—'}</TableCell>
              <TableCell className="text-xs">{job.parameters.target_language ?? '—'}</TableCell>
              <TableCell className="text-xs">{job.user_id ?? '—'}</TableCell>
              <TableCell className="max-w-48 truncate font-mono text-xs">{job.batch_id ?? '—'}</TableCell>
              <TableCell className="text-xs whitespace-nowrap">{job.created_at ? formatDateTime(job.created_at) : '—'}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
