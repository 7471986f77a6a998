import { findJsonInputProblem } from '@event-monitor/contracts';
import { HttpError, HttpErrorCode } from './http-errors';

/** 16 MiB: a batch of 10,000 jobs with full parameters fits with room to spare. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, HttpErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${maxBytes} bytes`);
}

function unsupported(): HttpError {
  return new HttpError(415, HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the body as JSON with Content-Type: application/json');
}

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * The body's bytes, counted while streaming so a lying or absent Content-Length cannot make the
 * server buffer more than `maxBytes`: null (and the stream cancelled) once it is over the limit.
 * Both doors read bodies through this (the tRPC door in apps/web body-limit.ts).
 */
export async function readBodyBytes(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads a JSON body, counting bytes while streaming so a lying or absent Content-Length cannot
 * make the server buffer more than `maxBytes`. An empty body yields `undefined` (routes whose
 * body is optional treat that as `{}`); a body needs `Content-Type: application/json`.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  // A declared non-JSON type is refused before a byte is read; no type at all is fine for an empty body.
  if (contentType !== null && !isJsonContentType(contentType)) throw unsupported();
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return undefined;

  const bytes = await readBodyBytes(request.body, maxBytes);
  if (!bytes) throw tooLarge(maxBytes);
  if (bytes.length === 0) return undefined;
  if (contentType === null) throw unsupported();
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, HttpErrorCode.MALFORMED_JSON, `Malformed JSON body: ${(err as Error).message}`);
  }
  // Depth, operator keys, NUL and lone surrogates: refused here, before any schema or MongoDB sees them.
  const problem = findJsonInputProblem(parsed);
  if (problem) {
    const field = problem.path || 'body';
    throw new HttpError(400, 'VALIDATION', `Invalid input: ${field}`, {
      details: { fieldErrors: { [field]: [problem.message] }, formErrors: [] },
    });
  }
  return parsed;
}
