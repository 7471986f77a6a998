import { DomainError, parseInput, type ValidationDetails } from '../errors';
import { CreateBatchInput, ListBatchesInput } from '@event-monitor/contracts';
import { CreateJobInput, JobParametersInput, ListJobsInput } from '@event-monitor/contracts';
import { ClaimInput, LogEntryInput, ProgressInput } from '@event-monitor/contracts';

function fieldErrors(schema: Parameters<typeof parseInput>[0], raw: unknown): Record<string, string[]> {
  try {
    parseInput(schema, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION');
    return ((err as DomainError).details as ValidationDetails).fieldErrors;
  }
  throw new Error('expected a validation error');
}

describe('input schemas', () => {
  it('fills the legacy parameter defaults', () => {
    expect(parseInput(JobParametersInput, {})).toEqual({
      speakers: [],
      source_language: 'en',
      target_language: 'de',
      use_cache: true,
    });
  });

  it('names each failing field with its dotted path', () => {
    const jobs = Array.from({ length: 5 }, () => ({ parameters: { event: 'e', session: 's' } }));
    jobs[3] = { parameters: { event: 'e', session: 's', video_url: 'javascript:alert(1)' } as never };
    const errors = fieldErrors(CreateBatchInput, { jobs, batch_name: 'x'.repeat(201) });
    expect(Object.keys(errors).sort()).toEqual(['batch_name', 'jobs.3.parameters.video_url']);
  });

  it('refuses unknown keys so a typo is a clear 400, not a silent drop', () => {
    expect(fieldErrors(CreateJobInput, { parameters: {}, priorty: 5 })).toHaveProperty('priorty');
    expect(fieldErrors(CreateJobInput, { parameters: { evnt: 'x' } })).toHaveProperty(['parameters.evnt']);
  });

  it('accepts http(s) URLs only, and empty or null as none', () => {
    expect(fieldErrors(JobParametersInput, { url: 'file:///etc/passwd' })).toHaveProperty('url');
    expect(fieldErrors(JobParametersInput, { attachments_url: 'ftp://x.org/a' })).toHaveProperty('attachments_url');
    expect(parseInput(JobParametersInput, { url: '', video_url: null }).url).toBeUndefined();
    expect(parseInput(JobParametersInput, { url: 'https://example.org/a' }).url).toBe('https://example.org/a');
  });

  it('takes languages from the fixed list only', () => {
    expect(fieldErrors(JobParametersInput, { target_language: 'xx' })).toHaveProperty('target_language');
    expect(parseInput(JobParametersInput, { target_language: 'ja' }).target_language).toBe('ja');
  });

  it('limits a batch to 10,000 jobs and needs at least one', () => {
    expect(fieldErrors(CreateBatchInput, { jobs: [] })).toHaveProperty('jobs');
    const many = Array.from({ length: 10_001 }, () => ({ parameters: {} }));
    expect(fieldErrors(CreateBatchInput, { jobs: many })).toHaveProperty('jobs');
  });

  it('checks batch ids, speakers, priority bounds', () => {
    expect(fieldErrors(CreateBatchInput, { batch_id: 'batch-$x', jobs: [{ parameters: {} }] })).toHaveProperty('batch_id');
    expect(fieldErrors(JobParametersInput, { speakers: Array(101).fill('a') })).toHaveProperty('speakers');
    expect(fieldErrors(CreateJobInput, { parameters: {}, priority: 101 })).toHaveProperty('priority');
  });

  it('progress percent is an integer 0..100 and log levels are the five known ones', () => {
    expect(fieldErrors(ProgressInput, { step: 's', percent: 50.5 })).toHaveProperty('percent');
    expect(fieldErrors(ProgressInput, { step: 's', percent: 101 })).toHaveProperty('percent');
    expect(fieldErrors(LogEntryInput, { level: 'warn', message: 'm' })).toHaveProperty('level');
    expect(parseInput(LogEntryInput, { level: 'info', message: 'm', timestamp: '2026-01-01T00:00:00Z' }).timestamp).toEqual(
      new Date('2026-01-01T00:00:00Z'),
    );
  });

  it('list inputs have defaults and accept query-string values', () => {
    expect(parseInput(ListBatchesInput, {})).toEqual({ archived: false, limit: 20 });
    expect(parseInput(ListBatchesInput, { archived: 'true', limit: '5' })).toMatchObject({ archived: true, limit: 5 });
    expect(parseInput(ListJobsInput, {})).toMatchObject({ limit: 50, sort: { field: 'created_at', direction: 'desc' } });
    expect(fieldErrors(ListJobsInput, { limit: 500 })).toHaveProperty('limit');
  });

  it('worker ids are restricted and leases bounded', () => {
    expect(fieldErrors(ClaimInput, { worker_id: 'a b' })).toHaveProperty('worker_id');
    expect(fieldErrors(ClaimInput, { worker_id: 'w1', lease_seconds: 5 })).toHaveProperty('lease_seconds');
    expect(parseInput(ClaimInput, { worker_id: 'gpu-1.example@host:2' }).lease_seconds).toBe(300);
  });
});
