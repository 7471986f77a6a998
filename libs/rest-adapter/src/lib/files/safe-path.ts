import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { HttpError, HttpErrorCode } from '../http-errors';

const MAX_DECODE_ROUNDS = 5;

function refuse(reason: string): HttpError {
  return new HttpError(400, HttpErrorCode.BAD_REQUEST, `Refused file path: ${reason}`);
}

/**
 * Turns the raw (percent-encoded) path after `files/` into a clean relative POSIX path, or throws
 * 400. It decodes until the text is stable, so `%252e%252e%252f` is seen as `../`, and then
 * refuses `..`/`.` segments, absolute paths, drive letters, backslashes, NUL and control characters.
 */
export function cleanRelativePath(raw: string): string {
  let text = raw;
  for (let round = 0; ; round++) {
    if (round >= MAX_DECODE_ROUNDS) throw refuse('too many layers of percent-encoding');
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      throw refuse('malformed percent-encoding');
    }
    if (decoded === text) break;
    text = decoded;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw refuse('control characters or NUL');
  if (text.includes('\\')) throw refuse('backslashes');
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text) || isAbsolute(text)) throw refuse('absolute path');
  const segments = text.split('/');
  if (segments.some((s) => s === '..' || s === '.')) throw refuse('dot segments');
  if (segments.some((s) => s === '')) throw refuse('empty segments');
  return segments.join('/');
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * The real path of a clean relative path under the root (and that path relative to the real
 * root, POSIX-style), or null when it does not exist or its real path (symlinks resolved) leaves the root.
 */
export async function resolveInsideRoot(
  root: string,
  relativePath: string,
): Promise<{ realPath: string; realRelativePath: string } | null> {
  const realRoot = await realpath(resolve(root));
  const candidate = resolve(realRoot, relativePath);
  if (!inside(realRoot, candidate)) return null;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return null;
  }
  if (!inside(realRoot, real)) return null;
  return { realPath: real, realRelativePath: relative(realRoot, real).split(sep).join('/') };
}
