import { TRPCClientError } from '@trpc/client';
import { ConnectionError } from './client';

/** What went wrong, coarse enough to pick a message or an exit code. */
export type ClientErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'conflict'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable'
  | 'server'
  | 'connection'
  | 'unknown';

export interface ClientErrorInfo {
  kind: ClientErrorKind;
  /** The tRPC error code (`NOT_FOUND`, ...); null when no tRPC answer arrived. */
  code: string | null;
  httpStatus: number | null;
  /** The server's message (or the local one when the server was not reached). */
  message: string;
  /** Dotted field paths (`jobs.0.parameters.video_url`) and their messages, for BAD_REQUEST. */
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
}

const KIND_OF_CODE: Record<string, ClientErrorKind> = {
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  BAD_REQUEST: 'validation',
  PARSE_ERROR: 'validation',
  UNPROCESSABLE_CONTENT: 'validation',
  CONFLICT: 'conflict',
  PRECONDITION_FAILED: 'conflict',
  TOO_MANY_REQUESTS: 'rate_limited',
  PAYLOAD_TOO_LARGE: 'too_large',
  SERVICE_UNAVAILABLE: 'unavailable',
  TIMEOUT: 'unavailable',
  GATEWAY_TIMEOUT: 'unavailable',
  BAD_GATEWAY: 'unavailable',
  INTERNAL_SERVER_ERROR: 'server',
};

const MAX_FIELDS_IN_MESSAGE = 5;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function stringLists(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(record(value) ?? {})) {
    if (Array.isArray(messages)) out[key] = messages.map(String);
  }
  return out;
}

/** Takes any thrown value apart: a tRPC error from the server, a connection failure, anything else. */
export function inspectClientError(error: unknown): ClientErrorInfo {
  const info: ClientErrorInfo = {
    kind: 'unknown',
    code: null,
    httpStatus: null,
    message: error instanceof Error ? error.message : String(error),
    fieldErrors: {},
    formErrors: [],
  };
  if (error instanceof ConnectionError) return { ...info, kind: 'connection' };
  if (!(error instanceof TRPCClientError)) return info;
  if (error.cause instanceof ConnectionError)
    return { ...info, kind: 'connection', message: error.cause.message };

  const data = record(error.data);
  const code = typeof data?.['code'] === 'string' ? data['code'] : null;
  if (!code) return info;
  const validation = record(data?.['validation']);
  return {
    ...info,
    kind: KIND_OF_CODE[code] ?? 'unknown',
    code,
    httpStatus: typeof data?.['httpStatus'] === 'number' ? data['httpStatus'] : null,
    fieldErrors: stringLists(validation?.['fieldErrors']),
    formErrors: Array.isArray(validation?.['formErrors']) ? validation['formErrors'].map(String) : [],
  };
}

function validationText(info: ClientErrorInfo): string {
  const fields = Object.entries(info.fieldErrors).map(
    ([path, messages]) => `${path}: ${messages.join(', ')}`,
  );
  const parts = [...info.formErrors, ...fields];
  if (parts.length === 0) return info.message;
  const shown = parts.slice(0, MAX_FIELDS_IN_MESSAGE).join('; ');
  return parts.length > MAX_FIELDS_IN_MESSAGE
    ? `${shown}; and ${parts.length - MAX_FIELDS_IN_MESSAGE} more`
    : shown;
}

/**
 * One readable line for any error of a client call, e.g.
 * "Validation failed: jobs.0.parameters.video_url: Must be an http(s) URL".
 */
export function describeClientError(error: unknown): string {
  const info = inspectClientError(error);
  switch (info.kind) {
    case 'unauthorized':
      return 'Not signed in: the token was refused (401)';
    case 'forbidden':
      return `Not allowed: ${info.message} (403)`;
    case 'not_found':
      return `Not found: ${info.message}`;
    case 'validation':
      return `Validation failed: ${validationText(info)}`;
    case 'conflict':
      return `Conflict: ${info.message}`;
    case 'rate_limited':
      return `Too many requests: ${info.message}`;
    case 'too_large':
      return `Too large: ${info.message}`;
    case 'unavailable':
      return `Server unavailable: ${info.message}`;
    case 'server':
      return `Server error: ${info.message}${info.httpStatus ? ` (${info.httpStatus})` : ''}`;
    case 'connection':
      return info.message;
    case 'unknown':
      return info.code ? `${info.code}: ${info.message}` : info.message;
  }
}
