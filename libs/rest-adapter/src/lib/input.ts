import { DomainError, DomainErrorCode, type ValidationDetails } from '@event-monitor/domain';

function validation(details: ValidationDetails, message: string): DomainError {
  return new DomainError(DomainErrorCode.VALIDATION, message, details);
}

/** The body as an object the domain schemas can check; an absent body is `{}`. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validation({ fieldErrors: {}, formErrors: ['Expected a JSON object'] }, 'Invalid input: expected a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A body for a call about one object whose id is in the path: the body may not name another. */
export function withPathId<K extends string>(body: unknown, key: K, id: string): Record<string, unknown> & Record<K, string> {
  const object = bodyObject(body);
  if (key in object) {
    throw validation(
      { fieldErrors: { [key]: [`Given by the path; do not send ${key} in the body`] }, formErrors: [] },
      `Invalid input: ${key}`,
    );
  }
  return { ...object, [key]: id } as Record<string, unknown> & Record<K, string>;
}

/** Hands untrusted request data to a domain function, which parses it with its own schema. */
export function untrusted<T>(value: unknown): T {
  return value as T;
}
