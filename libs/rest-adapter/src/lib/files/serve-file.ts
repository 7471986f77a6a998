import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';

const CONTENT_TYPES: Record<string, string> = {
  '.md': 'text/markdown; charset=utf-8',
  '.markdown': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.vtt': 'text/vtt; charset=utf-8',
  '.srt': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Types a browser would run script in: served under a sandbox CSP so they cannot act as the app. */
const ACTIVE_TYPES = new Set(['.html', '.htm', '.svg', '.xml']);

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Strong validator from size, mtime and inode: changes whenever the file does. */
export function etagOf(stats: Stats): string {
  const hash = createHash('sha1').update(`${stats.size}:${stats.mtimeMs}:${stats.ino}`).digest('base64url');
  return `"${hash.slice(0, 27)}"`;
}

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/** One `bytes=` range; several ranges or a malformed header are answered with the whole file. */
export function parseRange(header: string | null, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return { kind: 'full' };
  }
  if (start >= size || size === 0) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

function bodyOf(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { start, end })) as unknown as ReadableStream<Uint8Array>;
}

/** Answers GET/HEAD for a file already known to be safe and readable. */
export function serveFile(request: Request, realPath: string, stats: Stats, download: boolean): Response {
  const etag = etagOf(stats);
  const type = contentTypeOf(realPath);
  const headers: Record<string, string> = {
    'content-type': type,
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'accept-ranges': 'bytes',
    // Access depends on the caller: shared caches must not keep it; browsers revalidate with the ETag.
    'cache-control': 'private, no-cache',
    'x-content-type-options': 'nosniff',
    'content-disposition': contentDisposition(download ? 'attachment' : 'inline', basename(realPath)),
  };
  if (ACTIVE_TYPES.has(extname(realPath).toLowerCase())) headers['content-security-policy'] = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

  if (etagMatches(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });

  const ifRange = request.headers.get('if-range');
  const rangeHeader = ifRange && ifRange.trim() !== etag ? null : request.headers.get('range');
  const range = parseRange(rangeHeader, stats.size);
  const head = request.method.toUpperCase() === 'HEAD';
  if (range.kind === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${stats.size}` } });
  }
  if (range.kind === 'partial') {
    const length = range.end - range.start + 1;
    const partialHeaders = { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${stats.size}`, 'content-length': String(length) };
    return new Response(head ? null : bodyOf(realPath, range.start, range.end), { status: 206, headers: partialHeaders });
  }
  const fullHeaders = { ...headers, 'content-length': String(stats.size) };
  if (head || stats.size === 0) return new Response(head ? null : '', { status: 200, headers: fullHeaders });
  return new Response(bodyOf(realPath, 0, stats.size - 1), { status: 200, headers: fullHeaders });
}
