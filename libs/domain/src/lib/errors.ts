import type { z } from 'zod';

/** The codes a door maps to its own error shape (tRPC code, HTTP status) in one place. */
export const DomainErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  VALIDATION: 'VALIDATION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** An idempotency key sent again with a different request (HTTP 422). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

export interface ValidationDetails {
  /** Dotted paths of the failing fields, e.g. `jobs.3.parameters.video_url`. */
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details?: unknown;

  constructor(code: DomainErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isDomainError(value: unknown, code?: DomainErrorCode): value is DomainError {
  return value instanceof DomainError && (code === undefined || value.code === code);
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `${what} ${id} not found`);
}

export function forbidden(message: string): DomainError {
  return new DomainError(DomainErrorCode.FORBIDDEN, message);
}

/** Turns a zod error into VALIDATION with one entry per failing field (unknown keys included). */
export function fromZodError(err: z.ZodError): DomainError {
  // Keys come from the caller: `constructor`, `toString` or `__proto__` must be plain fields here,
  // not what a `{}` inherits (`fieldErrors.constructor ??= []` was Object, whose push threw: a 500).
  const fieldErrors: Record<string, string[]> = Object.create(null);
  const formErrors: string[] = [];
  const add = (path: string, message: string): void => {
    if (path === '') formErrors.push(message);
    else (fieldErrors[path] ??= []).push(message);
  };
  for (const issue of err.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(path ? `${path}.${key}` : key, 'Unknown field');
    } else {
      add(path, issue.message);
    }
  }
  const fields = Object.keys(fieldErrors);
  const summary = fields.length > 0 ? `Invalid input: ${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ', ...' : ''}` : `Invalid input: ${formErrors[0] ?? 'unknown problem'}`;
  const details: ValidationDetails = { fieldErrors, formErrors };
  return new DomainError(DomainErrorCode.VALIDATION, summary, details);
}

/** Parses untrusted input with a schema; a failure becomes DomainError VALIDATION. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}
