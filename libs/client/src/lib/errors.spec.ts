import { TRPCClientError } from '@trpc/client';
import { ConnectionError } from './client';
import { describeClientError, inspectClientError } from './errors';

/** A TRPCClientError as httpBatchLink builds it from an error answer of the server. */
function serverError(code: string, message: string, extra: Record<string, unknown> = {}) {
  return TRPCClientError.from({
    error: { code: -32000, message, data: { code, httpStatus: 400, ...extra } },
  });
}

describe('describeClientError', () => {
  it('names every failing field of a validation error', () => {
    const error = serverError('BAD_REQUEST', 'Invalid input', {
      validation: {
        fieldErrors: {
          'jobs.0.parameters.video_url': ['Must be an http(s) URL'],
          'jobs.1.bogus': ['Unknown field'],
        },
        formErrors: [],
      },
    });
    expect(describeClientError(error)).toBe(
      'Validation failed: jobs.0.parameters.video_url: Must be an http(s) URL; jobs.1.bogus: Unknown field',
    );
    expect(inspectClientError(error)).toMatchObject({ kind: 'validation', code: 'BAD_REQUEST' });
  });

  it('shortens a long list of field errors', () => {
    const fieldErrors = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`jobs.${i}.parameters.url`, ['bad']]),
    );
    const text = describeClientError(
      serverError('BAD_REQUEST', 'Invalid', { validation: { fieldErrors, formErrors: [] } }),
    );
    expect(text).toMatch(/jobs\.4\.parameters\.url: bad; and 3 more$/);
    expect(text).not.toContain('jobs.5');
  });

  it('says plainly when the token was refused, and what was not found or not allowed', () => {
    expect(describeClientError(serverError('UNAUTHORIZED', 'Sign in or send an API token'))).toBe(
      'Not signed in: the token was refused (401)',
    );
    expect(describeClientError(serverError('NOT_FOUND', 'Batch batch-x not found'))).toBe(
      'Not found: Batch batch-x not found',
    );
    expect(describeClientError(serverError('FORBIDDEN', 'Admins only'))).toBe(
      'Not allowed: Admins only (403)',
    );
    expect(inspectClientError(serverError('CONFLICT', 'Cannot restart a pending job')).kind).toBe('conflict');
  });

  it('reports a connection failure with its own message and kind', () => {
    const error = TRPCClientError.from(
      new ConnectionError('Cannot reach the server at http://127.0.0.1:9 (ECONNREFUSED)'),
    );
    expect(inspectClientError(error).kind).toBe('connection');
    expect(describeClientError(error)).toBe('Cannot reach the server at http://127.0.0.1:9 (ECONNREFUSED)');
  });

  it('falls back to the message of anything else', () => {
    expect(inspectClientError(new Error('boom'))).toMatchObject({
      kind: 'unknown',
      code: null,
      message: 'boom',
    });
    expect(describeClientError('plain')).toBe('plain');
  });
});
