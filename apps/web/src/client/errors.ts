import { TRPCClientError } from '@trpc/client';
import type { Dictionary } from './i18n/dictionaries';

interface ErrorData {
  code?: string;
  validation?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] } | null;
}

export function errorData(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

/** A message for a toast: permission problems in the user's language, others as the server said. */
export function errorMessage(error: unknown, t: Dictionary): string {
  const data = errorData(error);
  if (data?.code === 'FORBIDDEN') return t.common.forbidden;
  if (error instanceof Error && error.message) return error.message;
  return t.common.errorTitle;
}

/** Server field errors keyed by dotted path (`jobs.3.parameters.video_url`). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return errorData(error)?.validation?.fieldErrors ?? {};
}
