import { DEFAULT_MAX_BODY_BYTES, readBodyBytes } from '@event-monitor/rest-adapter';

/** tRPC's error shape (superjson envelope) for a body over the limit. */
function tooLarge(path: string, maxBytes: number): Response {
  const message = `Request body exceeds ${maxBytes} bytes`;
  const error = { json: { message, code: -32600, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path } } };
  return Response.json({ error }, { status: 413, headers: { 'cache-control': 'no-store' } });
}

/**
 * tRPC's fetch adapter reads the whole body with no limit. This reads it first with the REST
 * door's byte-counting reader (a lying or absent Content-Length cannot make it buffer more), and answers
 * 413 over the REST door's limit; otherwise hands tRPC an equal request with the bytes read.
 */
export async function withBodyLimit(
  request: Request,
  pathname: string,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<Request | Response> {
  // GET and HEAD carry no body (a fetch Request refuses one). Asking for `body` anyway would make
  // the Node adapter build the full Request with its stream (~5 % of a query's server CPU).
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return request;
  const path = pathname.replace(/^\/api\/trpc\//, '');
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooLarge(path, maxBytes);
  const bytes = await readBodyBytes(request.body, maxBytes);
  if (!bytes) return tooLarge(path, maxBytes);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: bytes,
    signal: request.signal,
  });
}
