'use client';

import type { ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { FileTextIcon } from 'lucide-react';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';
import { resultFiles, type ResultFile } from '../job-format';

/** The result tab: the files a worker reported and its markdown, rendered and sanitised. */
export function JobResults({ job }: { job: Job }) {
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
